import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../../../scripts/services/redis.mjs';
import type { RedisTokenStore } from '../src/index.js';
import { mockClient, OwnRedis, EXTENSION_PATH as PATH, randomNamespace, storeOpener } from './helpers.js';

// Steady state: while the token is valid, an API request costs Redis nothing. Measured with Redis's
// own counters (INFO commandstats) on a redis-server of this file's own, so that nothing else counts.
//
// The shared rate-limit budget (issue 22) keeps that where the budget is not short: a group the
// server does not meter costs the store nothing once a reply said so; a metered one takes slices of
// its window from the store, one call (one script) a slice of up to an eighth of the limit, and a
// request that finds room in its process's slice costs Redis nothing. A slice lapses soon after it
// is taken (half the store's margin: 0.6 s of a 60 s window, since the store counts a grant from
// when it is taken and the server from when the request arrives), so a process sending requests
// further apart than that asks once per request: that cannot be 0, and the slice it asks for then
// follows what it used (core's rate-limit-shared test).

const REQUESTS = 1_000;
/** The commands a call to the budget's script runs (EVALSHA, or EVAL and SCRIPT LOAD the first time). */
const BUDGET_SCRIPT = ['evalsha', 'eval', 'script', 'time', 'hget', 'hset', 'hincrby', 'zremrangebyscore'];
const BUDGET_SCRIPT_WRITES = ['zadd', 'zcount', 'zcard', 'zrange', 'pexpire'];

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

/** `count` GETs, 50 at a time. */
async function requests(rc: ReturnType<typeof client>, count = REQUESTS): Promise<void> {
  for (let sent = 0; sent < count; sent += 50) {
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

    // The first 50, before any reply said whether the group is metered: the store counts a group's
    // first requests (processes starting together must not each spend what the others did), with
    // one or two calls to the budget's script (the first ask, then one for the waiters that joined
    // it), and nothing else.
    await requests(rc, 50);
    const warm = await commandCalls();
    expect(store.budget.calls).toBeLessThanOrEqual(2);
    const allowed = [...BUDGET_SCRIPT, ...BUDGET_SCRIPT_WRITES];
    expect(Object.keys(diff(before.by, warm.by)).filter((name) => !allowed.includes(name))).toEqual([]);
    // The rest: the replies said the group is not metered, and INFO commandstats does not move.
    await requests(rc, REQUESTS - 50);
    const after = await commandCalls();
    expect(diff(warm.by, after.by)).toEqual({});
    expect(store.budget.calls).toBeLessThanOrEqual(2);
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

  it(`a metered group whose budget is not short: a request that finds room in its slice costs Redis nothing`, async () => {
    // Light metered at 8000 a 60 s window: a slice is an eighth of it, 1000 requests.
    const metered = await startMockServer({
      rateLimits: { Light: { limit: 8_000, windowSec: 60, penaltySec: 60 } },
    });
    try {
      const store = stores.open({ namespace: randomNamespace('steady-metered') });
      // The client's clock stands still, so no slice lapses however slow this machine is today:
      // what is measured is what a request costs while its process's slice has room.
      const start = Date.now();
      const rc = mockClient(metered, store, { now: () => start });
      await rc.setToken(metered.issueToken());
      await store.penalties!.load();
      await rc.get(PATH).json(); // the first reply tells the budget (one call: the group's first request)
      await rc.get(PATH).json(); // takes a slice of 1000: one call
      const calls = store.budget.calls;
      const before = await commandCalls();
      await requests(rc, 950); // all from that slice
      const after = await commandCalls();
      expect(store.budget.calls).toBe(calls);
      expect(diff(before.by, after.by)).toEqual({});
      // The next slice: one call to the budget's script for the next 1000.
      await requests(rc, 100);
      expect(store.budget.calls).toBe(calls + 1);
      const { evalsha, ...inside } = diff(after.by, (await commandCalls()).by);
      expect(evalsha).toBe(1);
      expect(
        Object.keys(inside).filter((name) => ![...BUDGET_SCRIPT, ...BUDGET_SCRIPT_WRITES].includes(name)),
      ).toEqual([]);
      expect(metered.stats.rateLimited).toBe(0);
    } finally {
      await metered.close();
    }
  });
});
