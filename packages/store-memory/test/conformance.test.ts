import { memoryStore } from '@rc/store-memory';
import { tokenStoreTestSuite } from '@rc/testing/store-suite';
import { Keyv } from 'keyv';
import { describe, it } from 'vitest';

// One Keyv for every store the suite makes: stores on one namespace share tokens and locks through
// it, as the suite requires, and namespaces keep the rest apart.
const keyv = new Keyv();
tokenStoreTestSuite({ describe, it }, ({ namespace }) => memoryStore({ namespace, keyv }), {
  name: 'memoryStore',
  state: true,
  penalties: true,
  budget: true,
});
