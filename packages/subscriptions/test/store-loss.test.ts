import type { StateStore, TokenStore } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { subscribe } from '../src/index.js';
import {
  EVENT,
  FAST,
  FILTERS,
  mockClient,
  mockPerTest,
  numbers,
  range,
  record,
  sleep,
  waitFor,
} from './helpers.js';

// A store that goes away and comes back empty (a Redis restart without persistence), seen from
// two processes sharing one subscription: the holder's path to it stays broken longer than the
// other's. The other then wins the lease, finds no state and opens a new session; the old holder
// must not drop what it received meanwhile (its successor cannot recover a session the store no
// longer names): deliver or hand over, never skip. Duplicates are allowed (at least once); loss is not.

/** The shared contents of the store: state records and leases. */
class Backing {
  readonly state = new Map<string, unknown>();
  readonly leases = new Map<string, { owner: string; until: number }>();
  flush() {
    this.state.clear();
    this.leases.clear();
  }
}

/** One process's view of the store: its state calls wait while its path is broken (`downUntil`). */
function viewOf(backing: Backing, tokens: TokenStore) {
  const view = {
    downUntil: 0,
    async reach(): Promise<void> {
      while (Date.now() < view.downUntil) await sleep(10);
    },
  };
  const store: TokenStore & StateStore = {
    get: (key) => tokens.get(key),
    set: (key, token) => tokens.set(key, token),
    delete: (key) => tokens.delete(key),
    withLock: (key, fn) => tokens.withLock(key, fn),
    async getState(key) {
      await view.reach();
      return structuredClone(backing.state.get(key));
    },
    async setState(key, value) {
      await view.reach();
      backing.state.set(key, structuredClone(value));
    },
    async deleteState(key) {
      await view.reach();
      backing.state.delete(key);
    },
    async acquireLease(key, owner, ttlMs) {
      await view.reach();
      const lease = backing.leases.get(key);
      if (lease && lease.owner !== owner && lease.until > Date.now()) return false;
      backing.leases.set(key, { owner, until: Date.now() + ttlMs });
      return true;
    },
    async releaseLease(key, owner) {
      await view.reach();
      if (backing.leases.get(key)?.owner === owner) backing.leases.delete(key);
    },
  };
  return { store, view };
}

const t = mockPerTest({ unsubscribe: false });

describe('the store restarts empty while the holder holds notifications', () => {
  it('every notification is delivered by one process or the other', async () => {
    const backing = new Backing();
    const tokens = memoryStore();
    const a = viewOf(backing, tokens);
    const b = viewOf(backing, tokens);
    const options = { eventFilters: FILTERS, ...FAST, leaseTtlMs: 1_000, key: 'shared' };
    const subA = await subscribe(mockClient(t.mock, a.store), options);
    t.track(subA);
    const subB = await subscribe(mockClient(t.mock, b.store), options);
    t.track(subB);
    const seenA = record(subA);
    const seenB = record(subB);
    const delivered = () => new Set([...numbers(seenA.notifications), ...numbers(seenB.notifications)]);
    // Which one holds (the first, unless a loaded machine delayed its renewals past the TTL).
    await waitFor(() => subA.holder !== subB.holder, 5_000, 'one holder');
    const [holder, other] = subA.holder ? [a, b] : [b, a];
    const [otherSub, seenOther] = subA.holder ? [subB, seenB] : [subA, seenA];
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => delivered().has(1), 2_000, 'the holder to receive 1');

    // The store goes away and comes back empty; the holder's path to it stays broken longer.
    const now = Date.now();
    holder.view.downUntil = now + 3_000;
    other.view.downUntil = now + 1_500;
    backing.flush();
    await sleep(1_300); // past the holder's 1 s lease: it can no longer renew it
    for (const n of range(2, 5)) t.mock.notify(EVENT, { n });
    await waitFor(
      () => otherSub.holder && seenOther.events.includes('connected'),
      5_000,
      'the other to take over',
    );
    for (const n of range(6, 9)) t.mock.notify(EVENT, { n });

    await waitFor(() => range(1, 9).every((n) => delivered().has(n)), 6_000, 'all 9 delivered').catch(
      () => {},
    );
    expect(range(1, 9).filter((n) => !delivered().has(n))).toEqual([]);
  });
});
