import { StoreError } from '@rc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTokenStore, redisStore } from '../src/index.js';
import { KeySpace } from '../src/keys.js';
import {
  clusterNodes,
  clusterRootNodes,
  deleteNamespace,
  type RawCluster,
  randomNamespace,
  rawClient,
  rawCluster,
  token,
} from './helpers.js';

// Redis Cluster: each session's keys (token, version, lock) share one hash slot, so the Lua
// scripts, which touch several of them, run on one node; different sessions spread over the nodes.

const namespace = randomNamespace('cluster');
const space = new KeySpace(namespace, '::', 'namespace');
const tricky = ['user-1', '}{', 'a}b', '{x}', '%7B', '{}', 'ü/é: 1', '~'.repeat(300)];
let cluster: RawCluster;
let store: RedisTokenStore;

beforeAll(async () => {
  cluster = await rawCluster();
  store = redisStore({ cluster: { rootNodes: clusterRootNodes() }, namespace });
});
afterAll(async () => {
  await store.close();
  cluster.destroy();
  await deleteNamespace(namespace, 'cluster');
});

describe('Redis Cluster', () => {
  it('puts every key of one session in one slot (CLUSTER KEYSLOT), whatever the session key', async () => {
    const node = await rawClient(clusterNodes()[0]);
    try {
      for (const key of tricky) {
        const keys = space.of(key);
        const slots = await Promise.all(
          [keys.token, keys.version, keys.lock].map((k) => node.clusterKeySlot(k)),
        );
        expect(new Set(slots).size, `keys of ${JSON.stringify(key)}`).toBe(1);
      }
    } finally {
      node.destroy();
    }
  });

  it('stores, reads, locks and deletes sessions whose keys span all three masters', async () => {
    const node = await rawClient(clusterNodes()[0]);
    const sessions = [...tricky, ...Array.from({ length: 12 }, (_, i) => `session-${i}`)];
    const slots = new Set<number>();
    for (const key of sessions) {
      const t = token();
      await store.withLock(key, async () => {
        await store.set(key, t);
      });
      expect(await store.get(key)).toEqual(t);
      const keys = space.of(key);
      expect(await cluster.exists(keys.token)).toBe(1);
      slots.add(await node.clusterKeySlot(keys.token));
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
    }
    node.destroy();
    // 20 sessions over 16384 slots split in three ranges: all in one range would be a key bug.
    const ranges = new Set([...slots].map((slot) => Math.floor(slot / 5462)));
    expect(ranges.size).toBeGreaterThan(1);
  });

  it('refuses a write from a holder whose lock was lost, on the cluster too', async () => {
    const other = redisStore({ cluster: { rootNodes: clusterRootNodes() }, namespace });
    const keys = space.of('lost');
    const newer = token();
    try {
      const error = await store
        .withLock('lost', async (lease) => {
          await cluster.del(keys.lock);
          await other.set('lost', newer);
          await lease.set(token());
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ operation: 'set', message: /^Lock lost/ });
      expect(await store.get('lost')).toEqual(newer);
    } finally {
      await other.close();
    }
  });
});
