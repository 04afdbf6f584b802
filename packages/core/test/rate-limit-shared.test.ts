import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { client, mockServer } from './fixtures.js';

// The store's shared budget as the rate limiter uses it (SharedBudget, issue 22): clients on one
// memoryStore share one window per group, and a budget that fails never fails a request
// (best effort: the limiter paces by the replies again).

const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';

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
});
