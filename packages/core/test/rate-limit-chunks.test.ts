import { rateLimit } from '@rc/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { countingStore, gate, HEAVY, resetChunks, sleep } from './chunk-mocks.js';
import { client, mockServer } from './fixtures.js';

// The rate limiter loads two parts on demand (dynamic imports: chunks of their own in a browser
// bundle): the route → group table of RingCentral's API description, with the first request, and
// the shared budget, when a store that shares one is wired. Requests wait for what is loading, in
// the order they came, and use it once it is there. (Chunks that fail to load:
// rate-limit-chunks-failing.test.ts.)

const { chunks, load } = await vi.hoisted(() => import('./chunk-mocks.js'));
vi.mock('../src/rate-limit/table.js', (importOriginal) => load(chunks.table)(importOriginal));
vi.mock('../src/rate-limit/shared-budget.js', (importOriginal) => load(chunks.budget)(importOriginal));

beforeEach(resetChunks);

describe('rate limiter chunks while they load', () => {
  // The route table is not loaded yet in this file.
  // Before: a request waiting for the table when another client wired a budget into the same
  // limiter went without asking the store; and one that came later could go first.
  it('requests waiting for the table wait for a budget wired meanwhile, and go in the order they came', async () => {
    const server = await mockServer({ rateLimits: { Heavy: { limit: 10, windowSec: 1, penaltySec: 1 } } });
    const table = gate();
    const budget = gate();
    chunks.table.gate = table.closed;
    chunks.budget.gate = budget.closed;
    const sent: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('call-log')) sent.push(new URL(url).searchParams.get('n') ?? '');
      return globalThis.fetch(input, init);
    };
    const limiter = rateLimit({ maxWaitMs: 10_000, defaultRetryAfterMs: 1_000 });
    const first = client(server, { plugins: [limiter], fetch });
    const token = server.issueToken();
    await first.setToken(token);
    const a = first.get(HEAVY, { searchParams: { n: 'a' } }).json();
    await sleep(20); // a waits for the table
    const { store, counts } = countingStore();
    const second = client(server, { plugins: [limiter], store, fetch });
    await second.setToken(token);
    table.open();
    await sleep(20); // the table is loaded; the budget's code is not
    expect(sent).toEqual([]);
    const b = first.get(HEAVY, { searchParams: { n: 'b' } }).json();
    await sleep(20);
    expect(sent).toEqual([]); // both wait for the budget
    budget.open();
    await Promise.all([a, b]);
    expect(sent).toEqual(['a', 'b']);
    expect(counts.takes).toBeGreaterThan(0); // paced by the shared budget
    expect(chunks.budget.loads).toBe(1);
  }, 15_000);
});
