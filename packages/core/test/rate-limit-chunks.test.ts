import { memoryStore } from '@rc/store-memory';
import { describe, expect, it, vi } from 'vitest';
import { client, mockServer } from './fixtures.js';

// The rate limiter loads two parts on demand (dynamic imports: chunks of their own in a browser
// bundle): the route → group table of RingCentral's API description, with the first request, and
// the shared budget, when a store that shares one is wired. A chunk that cannot be fetched (a
// browser offline; browsers also keep a failed import failed) must cost the request nothing but
// what the chunk would have given: the request goes, paced by the replies, and a later request
// tries the chunk again.

// Each chunk fails while its `failures` is above 0 (a failed fetch takes a moment, so a loop of
// failing imports would not starve the test's timers), and counts its loads.
const chunks = vi.hoisted(() => {
  const chunk = () => ({ failures: 0, loads: 0 });
  const table = chunk();
  const budget = chunk();
  const load =
    (c: ReturnType<typeof chunk>) =>
    async (importOriginal: () => Promise<unknown>): Promise<unknown> => {
      c.loads++;
      if (c.failures <= 0) return importOriginal();
      c.failures--;
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new TypeError('Failed to fetch dynamically imported module');
    };
  return { table, budget, load };
});

vi.mock('../src/rate-limit/table.js', (importOriginal) => chunks.load(chunks.table)(importOriginal));
vi.mock('../src/rate-limit/shared-budget.js', (importOriginal) => chunks.load(chunks.budget)(importOriginal));

const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';

describe('rate limiter chunks that fail to load', () => {
  // Before: the first request tried the chunk again and again, never going (a chunk that keeps
  // failing, as a browser keeps a failed import, hung every request).
  it('the route table: the request goes, and a later one loads the table', async () => {
    chunks.table.failures = Number.POSITIVE_INFINITY;
    const server = await mockServer();
    const rc = client(server);
    await rc.setToken(server.issueToken());
    const res = await rc.get(HEAVY, { timeout: 5_000 });
    expect(res.status).toBe(200);
    expect(chunks.table.loads).toBe(1); // tried once for this request
    chunks.table.failures = 0; // the network is back
    await rc.get(HEAVY, { timeout: 5_000 }).json();
    expect(chunks.table.loads).toBe(2);
    await rc.get(HEAVY, { timeout: 5_000 }).json();
    expect(chunks.table.loads).toBe(2); // loaded: not fetched again
  }, 15_000);

  it('the shared budget: the request goes, and a later one loads the budget', async () => {
    chunks.budget.failures = 1;
    const server = await mockServer({ rateLimits: { Heavy: { limit: 4, windowSec: 1, penaltySec: 1 } } });
    const store = memoryStore();
    const rc = client(server, { store, rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 } });
    await rc.setToken(server.issueToken());
    expect((await rc.get(HEAVY, { timeout: 5_000 })).status).toBe(200);
    expect(chunks.budget.loads).toBe(1);
    await rc.get(HEAVY, { timeout: 5_000 }).json();
    expect(chunks.budget.loads).toBe(2); // tried again, and loaded
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => rc.get(HEAVY).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
  }, 15_000);
});
