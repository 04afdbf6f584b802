// What a multi-process test leaves in its Redis namespace (the mock user's session token, the
// subscription's or webhook's state and lease), deleted after it. Shared by the suites whose
// processes meet on one Redis. Test-only, imported by path.
import { redisStore } from '@rc/store-redis';
import type { MockServer } from '@rc/testing';
import { mockClient } from './mock-client.js';

export async function deleteTestKeys(
  redisUrl: string,
  namespace: string,
  mock: MockServer,
  stateKey: string,
): Promise<void> {
  const store = redisStore({ url: redisUrl, namespace });
  await store.delete(mockClient(mock, store).sessionKey);
  await store.deleteState(stateKey);
  await store.close();
}
