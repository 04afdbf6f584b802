import { beforeEach, describe, expect, it, vi } from 'vitest';
import { countingStore, gate, HEAVY, resetChunks, sleep } from './chunk-mocks.js';
import { client, mockServer } from './fixtures.js';

// A chunk of the rate limiter that cannot be fetched (a browser offline; browsers also keep a
// failed import failed) must cost a request nothing but what the chunk would have given: the
// request goes, paced by the replies, and a later one tries again. (What loads on demand, and
// requests waiting for it: rate-limit-chunks.test.ts.)

const { chunks, load } = await vi.hoisted(() => import('./chunk-mocks.js'));
vi.mock('../src/rate-limit/table.js', (importOriginal) => load(chunks.table)(importOriginal));
vi.mock('../src/rate-limit/shared-budget.js', (importOriginal) => load(chunks.budget)(importOriginal));

beforeEach(resetChunks);

describe('rate limiter chunks that fail to load', () => {
  // First in the file: the route table is not loaded yet. Before: the wait for a chunk ignored the
  // request's signal, so a chunk whose fetch hangs held every request for ever.
  it('a route table whose load hangs: the request’s signal still ends its wait, unsent', async () => {
    const hung = gate();
    chunks.table.gate = hung.closed;
    const sent: string[] = [];
    const server = await mockServer();
    const rc = client(server, {
      fetch: (input, init) => {
        sent.push(input instanceof Request ? input.url : String(input));
        return globalThis.fetch(input, init);
      },
    });
    await rc.setToken(server.issueToken());
    const controller = new AbortController();
    const request = rc.get(HEAVY, { signal: controller.signal });
    await sleep(20);
    controller.abort(new Error('the user gave up'));
    await expect(request).rejects.toThrow();
    expect(sent.filter((url) => url.includes('call-log'))).toEqual([]);
    // Let the hung load end (failing) so the next test starts with no table.
    chunks.table.failures = 1;
    hung.open();
    await sleep(20);
    expect(chunks.table.failures).toBe(0);
  }, 15_000);

  // The route table is still not loaded. Before: the first request tried the chunk again and
  // again, never going (a chunk that keeps failing, as a browser keeps a failed import failed,
  // hung every request).
  it('a route table that fails to load: the request goes, and a later one loads the table', async () => {
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

  it('a shared budget that fails to load: requests go, a later one loads it, and then it paces', async () => {
    chunks.budget.failures = 1;
    const server = await mockServer({ rateLimits: { Heavy: { limit: 4, windowSec: 1, penaltySec: 1 } } });
    const { store, counts } = countingStore();
    const rc = client(server, { store, rateLimit: { maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 } });
    await rc.setToken(server.issueToken());
    await sleep(20); // the load wired with the client has failed
    expect(chunks.budget.loads).toBe(1);
    expect(counts.takes).toBe(0);
    expect((await rc.get(HEAVY, { timeout: 5_000 })).status).toBe(200);
    expect(chunks.budget.loads).toBe(2); // tried again by the request, and loaded
    expect(counts.takes).toBeGreaterThan(0); // which then asked the store
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => rc.get(HEAVY).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
  }, 15_000);
});
