import { memoryStore } from '@rc/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseElection } from '../src/kit.js';

// The election extensions share (subscriptions' connection holder, webhooks' renewer): one holder
// among everyone on a store; a holder that stops is replaced within about one TTL; a first attempt
// whose `gained` throws rejects and does not keep the lease from the others.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const elections: LeaseElection[] = [];
afterEach(async () => {
  for (const e of elections.splice(0)) await e.stop();
});

function elect(store: ReturnType<typeof memoryStore>, log: string[], name: string, ttlMs = 150) {
  const election = new LeaseElection({
    store,
    key: 'job',
    ttlMs,
    gained: () => void log.push(`${name} gained`),
    lost: () => void log.push(`${name} lost`),
  });
  elections.push(election);
  return election;
}

describe('LeaseElection', () => {
  it('elects one holder; another takes over within about a TTL after it stops', async () => {
    const store = memoryStore();
    const log: string[] = [];
    const [a, b, c] = [elect(store, log, 'a'), elect(store, log, 'b'), elect(store, log, 'c')];
    await a.start();
    await b.start();
    await c.start();
    expect([a.holder, b.holder, c.holder]).toEqual([true, false, false]);
    expect(a.held).toBe(true);
    await sleep(300); // renewals keep it with a
    expect([a.holder, b.holder, c.holder]).toEqual([true, false, false]);
    await a.stop();
    const stoppedAt = Date.now();
    while (!b.holder && !c.holder && Date.now() - stoppedAt < 1000) await sleep(5);
    expect(Date.now() - stoppedAt).toBeLessThan(300);
    expect([b.holder, c.holder].filter(Boolean)).toHaveLength(1);
    expect(log.filter((l) => l.endsWith('gained'))).toHaveLength(2);
  });

  it('a first attempt whose gained() throws rejects, and releases the lease at once', async () => {
    const store = memoryStore();
    const failing = new LeaseElection({
      store,
      key: 'job',
      ttlMs: 60_000,
      gained: () => {
        throw new Error('could not start');
      },
    });
    await expect(failing.start()).rejects.toThrow('could not start');
    expect(failing.holder).toBe(false);
    const next = elect(store, [], 'next', 60_000);
    await next.start();
    expect(next.holder).toBe(true);
  });

  it('an aborted signal stops its renewals at once; another takes the expired lease; stop() then releases nothing of it', async () => {
    const store = memoryStore();
    const controller = new AbortController();
    const log: string[] = [];
    const a = new LeaseElection({ store, key: 'job', ttlMs: 200, signal: controller.signal });
    elections.push(a);
    await a.start();
    expect(a.holder).toBe(true);
    const b = elect(store, log, 'b', 200);
    await b.start();
    controller.abort();
    expect(a.holder).toBe(true); // as last known: the owner may still act as holder while it shuts down
    const abortedAt = Date.now();
    while (!b.holder && Date.now() - abortedAt < 2000) await sleep(5);
    expect(b.holder).toBe(true);
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(100); // it waited for the lease to expire
    expect(a.held).toBe(false);
    await a.stop();
    expect(a.holder).toBe(false);
    await sleep(100);
    expect(b.holder).toBe(true); // a's release was not b's
  });
});
