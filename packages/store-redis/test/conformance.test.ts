import { tokenStoreTestSuite } from '@rc/testing/store-suite';
import { afterAll, describe, it } from 'vitest';
import { type RedisTokenStore, redisStore } from '../src/index.js';
import { clusterRootNodes, deleteNamespace, keysOf, rawClient, rawCluster, redisUrl } from './helpers.js';

// The shared TokenStore conformance suite, on a single Redis and on the Redis Cluster. Two stores
// the suite makes on one namespace are two connections to one Redis: they share data and locks as
// two processes would. The suite picks random namespaces; they are collected here and their keys
// deleted at the end (token entries would otherwise live until their refresh tokens expire).

const close = (store: unknown) => (store as RedisTokenStore).close();

for (const target of ['single', 'cluster'] as const) {
  const namespaces = new Set<string>();
  afterAll(async () => {
    for (const namespace of namespaces) await deleteNamespace(namespace, target);
  });
  tokenStoreTestSuite(
    { describe, it },
    ({ namespace }) => {
      namespaces.add(namespace);
      return target === 'single'
        ? redisStore({ url: redisUrl(), namespace })
        : redisStore({ cluster: { rootNodes: clusterRootNodes() }, namespace });
    },
    {
      name: `redisStore conformance (${target} Redis)`,
      close,
      state: true,
      penalties: true,
      budget: true,
      // As an expiry would: the lock's key is gone, so the next heartbeat finds it lost.
      loseLock: async ({ namespace, key }) => {
        const raw = target === 'single' ? await rawClient() : await rawCluster();
        try {
          await raw.del(keysOf(namespace, key).lock);
        } finally {
          raw.destroy();
        }
      },
    },
  );
}
