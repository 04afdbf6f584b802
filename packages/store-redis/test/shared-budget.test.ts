import { startMockServer } from '@rc/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient, useSharedRedis } from './helpers.js';

// ★ One rate-limit budget for many clients: 4 clients, each with its own limiter and its own
// connection to one Redis (as 4 processes of one app would be), spend one user's Heavy budget
// (5 a 1 s window, RingCentral's ratios scaled down) in bursts. Each paces by slices of the window
// taken from the store, so together they never exceed it: no 429, every request succeeds, and
// the job takes about what the window allows. Without the shared budget each paces by what it
// last heard and they draw 429s.

const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';
const CLIENTS = 4;
const BURST = 5;
const redis = useSharedRedis('budget');
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('redisStore: one rate-limit budget for many clients', () => {
  it('4 clients with their own limiters on one Redis burst a group without a 429', async () => {
    const server = await startMockServer({
      rateLimits: { Heavy: { limit: 5, windowSec: 1, penaltySec: 1 } },
    });
    servers.push(server);
    const token = server.issueToken();
    const stores = Array.from({ length: CLIENTS }, () => redis.open());
    const clients = stores.map((store) =>
      mockClient(server, store, { rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 } }),
    );
    for (const rc of clients) await rc.setToken(token);
    const started = Date.now();
    // Each tells its limiter the budget with one request (4 of the 5), then all burst together.
    for (const rc of clients) await rc.get(HEAVY).json();
    const results = await Promise.allSettled(
      clients.flatMap((rc) => Array.from({ length: BURST }, () => rc.get(HEAVY).json())),
    );
    const elapsed = Date.now() - started;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
    expect(server.stats.duringPenalty).toBe(0);
    // 24 requests at 5 a window: 4 windows after the first at the least; paced, not stalled (the
    // store's margin, at least 250 ms a window, is a quarter of windows this short).
    expect(elapsed).toBeGreaterThanOrEqual(4 * 1_000 - 50);
    expect(elapsed).toBeLessThan(4 * 1_000 * 2);
    // Reservations, not polling: about one round-trip per slice (a slice of this small a limit is
    // mostly one request; polling for a free slot took 3 to 5 a request).
    const calls = stores.reduce((n, s) => n + s.budget.calls, 0);
    expect(calls).toBeLessThanOrEqual(Math.ceil(1.5 * CLIENTS * (BURST + 1)));
  }, 20_000);
});
