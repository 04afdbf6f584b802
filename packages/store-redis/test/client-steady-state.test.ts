import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../../../scripts/services/redis.mjs';
import type { RedisTokenStore } from '../src/index.js';
import { mockClient, OwnRedis, EXTENSION_PATH as PATH, randomNamespace, storeOpener } from './helpers.js';

// Steady state: while the token is valid, an API request costs Redis nothing. Measured with Redis's
// own counters (INFO commandstats) on a redis-server of this file's own, so that nothing else counts.

const REQUESTS = 1_000;

let redis: OwnRedis;
let server: MockServer;
const stores = storeOpener(() => ({ url: redis.url }));

beforeAll(async () => {
  redis = await OwnRedis.start();
  server = await startMockServer();
});
afterEach(async () => {
  await stores.closeAll();
  await redisCommand({ port: redis.port }, ['FLUSHALL']);
});
afterAll(async () => {
  await redis?.kill();
  await server?.close();
});

/** Calls per command since the server started, INFO itself left out. */
async function commandCalls(): Promise<{ total: number; by: Record<string, number> }> {
  const info = String(await redisCommand({ port: redis.port }, ['INFO', 'commandstats']));
  const by: Record<string, number> = {};
  for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (name !== 'info') by[name!] = Number(calls);
  }
  return { total: Object.values(by).reduce((a, b) => a + b, 0), by };
}

const diff = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([name, n]) => [name, n - (before[name] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );

const client = (store: RedisTokenStore) => mockClient(server, store);

/** `REQUESTS` GETs, 50 at a time. */
async function requests(rc: ReturnType<typeof client>): Promise<void> {
  for (let sent = 0; sent < REQUESTS; sent += 50) {
    await Promise.all(Array.from({ length: 50 }, () => rc.get(PATH).json()));
  }
}

describe('steady state: zero Redis commands per API request while the token is valid', () => {
  it(`${REQUESTS} requests after setToken: INFO commandstats does not move`, async () => {
    const store = stores.open({ namespace: randomNamespace('steady') });
    const rc = client(store);
    await rc.setToken(server.issueToken());
    // The client subscribed to shared rate-limit penalties and read them once when it was made:
    // wait for that (a second load rides on the same subscription) before counting.
    await store.penalties!.load();
    const before = await commandCalls();
    expect(before.by.ssubscribe).toBe(1);
    expect(before.total).toBeGreaterThan(0); // the connection and the token write were counted

    await requests(rc);
    const after = await commandCalls();
    // One or two calls to the shared rate-limit budget (its script: EVALSHA, or EVAL the first time, and
    // the commands inside it): the first 50, before any reply said the group is not metered (the
    // store counts a group's first requests); none after, and nothing else.
    expect(store.budget.calls).toBeLessThanOrEqual(2); // the first ask, then one for the waiters that joined it
    const { evalsha: _, eval: __, ...other } = diff(before.by, after.by);
    const inScript = ['time', 'hget', 'hset', 'hincrby', 'zremrangebyscore', 'zadd', 'pexpire', 'script'];
    expect(Object.keys(other).filter((name) => !inScript.includes(name))).toEqual([]);
    expect(server.stats.byStatus).toEqual({ '200': REQUESTS });

    // The counter does see the store when it is needed: a rejected token costs a read, the lock
    // and the write of the refreshed token.
    server.invalidateAccessTokens();
    await rc.get(PATH).json();
    expect((await commandCalls()).total).toBeGreaterThan(after.total);
  });

  it(`a client that finds the token in Redis reads it once, then ${REQUESTS} requests cost nothing more`, async () => {
    const namespace = randomNamespace('steady-load');
    const seed = stores.open({ namespace });
    const store = stores.open({ namespace });
    await client(seed).setToken(server.issueToken());
    const rc = client(store);
    await rc.get(PATH).json(); // connects, and reads the token: one GET
    await store.penalties!.load();
    const before = await commandCalls();
    await requests(rc);
    expect(diff(before.by, (await commandCalls()).by)).toEqual({});
  });
});
