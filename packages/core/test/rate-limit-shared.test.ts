import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { client, mockServer } from './fixtures.js';

// The store's shared budget as the rate limiter uses it (SharedBudget, issue 22): clients on one
// memoryStore share one window per group, and a budget that fails never fails a request
// (best effort: the limiter paces by the replies again).

const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A memoryStore whose budget counts its calls and what they reserved. */
function countingStore() {
  const store = memoryStore();
  const take = store.budget!.take.bind(store.budget);
  const counts = { calls: 0, granted: 0 };
  const counted = Object.assign(Object.create(null), store, {
    budget: {
      take: async (...args: Parameters<typeof take>) => {
        counts.calls++;
        const slice = await take(...args);
        counts.granted += slice.granted;
        return slice;
      },
    },
  });
  return { store: counted as typeof store, counts };
}

describe('rateLimit() with a store that shares the budget', () => {
  it('3 clients (3 limiters) on one memoryStore burst one group without a 429', async () => {
    const server = await mockServer({ rateLimits: { Heavy: { limit: 4, windowSec: 1, penaltySec: 1 } } });
    const store = memoryStore();
    const token = server.issueToken();
    const clients = Array.from({ length: 3 }, () =>
      client(server, {
        store,
        rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 },
      }),
    );
    for (const rc of clients) await rc.setToken(token);
    for (const rc of clients) await rc.get(HEAVY).json(); // 3 of the 4, each learns the budget
    const results = await Promise.allSettled(
      clients.flatMap((rc) => Array.from({ length: 3 }, () => rc.get(HEAVY).json())),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
  }, 15_000);

  it('a budget whose store fails does not fail requests', async () => {
    const server = await mockServer({ rateLimits: { Heavy: { limit: 4, windowSec: 1, penaltySec: 1 } } });
    const store = memoryStore();
    let calls = 0;
    const failing = Object.assign(Object.create(null), store, {
      budget: {
        take: async () => {
          calls++;
          throw new Error('the store is down');
        },
      },
    });
    const rc = client(server, {
      store: failing,
      rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 },
    });
    await rc.setToken(server.issueToken());
    await rc.get(HEAVY).json(); // the budget, from the reply
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => rc.get(HEAVY).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(calls).toBeGreaterThan(0);
    expect(server.stats.rateLimited).toBe(0); // paced by the replies instead
  }, 15_000);

  // A slice is a reservation that lapses soon (the store counts it from when it was taken, the
  // server each request when it arrives): grants not used in time are spent all the same. A
  // process sending one request at a time, slower than a slice lapses, took a slice of an eighth
  // of the limit for each request and used one: at a third of the budget it spent all of it at the
  // store and waited (30 requests at 300 ms gaps: 14.0 s instead of 9.2 s, 1 call and 5 grants a
  // request). The slice it asks for follows what it used.
  it('a process sending sparsely reserves about what it sends, and is not slowed', async () => {
    const server = await mockServer({ rateLimits: { Heavy: { limit: 40, windowSec: 2, penaltySec: 2 } } });
    const { store, counts } = countingStore();
    const rc = client(server, { store, rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 2_000 } });
    await rc.setToken(server.issueToken());
    await rc.get(HEAVY).json(); // the budget, from the reply
    const before = { ...counts };
    const REQUESTS = 15; // 200 ms apart: 10 of the 40 a window allows
    const started = Date.now();
    for (let i = 0; i < REQUESTS; i++) {
      await rc.get(HEAVY).json();
      await sleep(200);
    }
    const elapsed = Date.now() - started;
    // A slice lasts 125 ms here (half the 250 ms margin): every request asks (1 call a request).
    expect(counts.calls - before.calls).toBeLessThanOrEqual(REQUESTS);
    // The first slice is an eighth of the limit (5); after it lapses with 4 unused, one at a time.
    expect(counts.granted - before.granted).toBeLessThanOrEqual(REQUESTS + 5);
    expect(elapsed).toBeLessThan(REQUESTS * 200 + 1_000); // no request waited for the window
    expect(server.stats.rateLimited).toBe(0);
  }, 15_000);

  // The steady state of a dense job: a request that finds room in its process's slice goes at
  // once and costs the store nothing; the store is asked once a slice (an eighth of the limit).
  it('requests that find room in the reserved slice cost the store no call', async () => {
    const server = await mockServer({ rateLimits: { Heavy: { limit: 80, windowSec: 60, penaltySec: 60 } } });
    const { store, counts } = countingStore();
    const rc = client(server, { store });
    await rc.setToken(server.issueToken());
    await rc.get(HEAVY).json(); // the budget, from the reply
    const before = counts.calls;
    await rc.get(HEAVY).json(); // takes a slice of 10 (an eighth of 80): one call
    expect(counts.calls).toBe(before + 1);
    for (let i = 0; i < 9; i++) await rc.get(HEAVY).json(); // the slice's other 9: none
    expect(counts.calls).toBe(before + 1);
    await Promise.all(Array.from({ length: 20 }, () => rc.get(HEAVY).json())); // one or two slices more
    expect(counts.calls).toBeLessThanOrEqual(before + 3);
    expect(server.stats.rateLimited).toBe(0);
  });
});
