import assert from 'node:assert/strict';
import { type Lease, StoreError, type TokenSet, type TokenStore } from '@rc/core';
import { tokenStoreTtl } from '@rc/core/kit';
import { tokenStoreTestSuite } from '@rc/testing';
import { describe, it } from 'vitest';
import { expiryCases } from '../src/store-suite/cases-expiry.js';
import { leaseCases } from '../src/store-suite/cases-lease.js';
import { lockCases } from '../src/store-suite/cases-lock.js';
import { runCase, type SuiteCase } from '../src/store-suite/context.js';

// A minimal correct TokenStore: one Map per namespace (shared by every instance on it, like one
// Redis shared by processes), expiry checked on read, and a per-key promise-chain lock whose lease
// refuses writes once fn has settled.
interface Backend {
  data: Map<string, { token: TokenSet; until: number }>;
  locks: Map<string, Promise<void>>;
}
const backends = new Map<string, Backend>();

function referenceStore(namespace: string, overrides: Partial<TokenStore> = {}): TokenStore {
  let backend = backends.get(namespace);
  if (!backend) {
    backend = { data: new Map(), locks: new Map() };
    backends.set(namespace, backend);
  }
  const { data, locks } = backend;
  const store: TokenStore = {
    async get(key) {
      const entry = data.get(key);
      if (!entry || entry.until <= Date.now()) return undefined;
      return structuredClone(entry.token);
    },
    async set(key, token) {
      const now = Date.now();
      data.set(key, { token: structuredClone(token), until: now + tokenStoreTtl(token, now) });
    },
    async delete(key) {
      data.delete(key);
    },
    async withLock(key, fn) {
      const previous = locks.get(key) ?? Promise.resolve();
      let release!: () => void;
      const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
      locks.set(key, tail);
      await previous;
      const controller = new AbortController();
      const lost = (op: string) => new StoreError(op, `Lock lost: the lease on "${key}" ended`);
      const guarded = async (op: string, write: () => Promise<void>) => {
        if (controller.signal.aborted) throw lost(op);
        return write();
      };
      try {
        return await fn({
          key,
          signal: controller.signal,
          set: (token) => guarded('set', () => store.set(key, token)),
          delete: () => guarded('delete', () => store.delete(key)),
        });
      } finally {
        controller.abort(lost('lock'));
        release();
        if (locks.get(key) === tail) locks.delete(key);
      }
    },
    ...overrides,
  };
  return store;
}

/** A lease that never ends: its signal never aborts and its writes always go through. */
const unfenced = (store: () => TokenStore, key: string): Lease => ({
  key,
  signal: new AbortController().signal,
  set: (token) => store().set(key, token),
  delete: () => store().delete(key),
});

tokenStoreTestSuite({ describe, it }, ({ namespace }) => referenceStore(namespace), {
  name: 'tokenStoreTestSuite against a correct reference store',
});

describe('tokenStoreTestSuite catches broken stores', () => {
  const byName = (cases: readonly SuiteCase[], start: string) => {
    const found = cases.find((c) => c.name.startsWith(start));
    assert.ok(found, `no case named "${start}..."`);
    return found;
  };

  it('a withLock that does not exclude fails the contention case', async () => {
    const noExclusion: Partial<TokenStore> = {
      withLock: (key, fn) => fn(unfenced(() => referenceStore('unused'), key)),
    };
    await assert.rejects(
      runCase(byName(lockCases, 'withLock excludes'), ({ namespace }) =>
        referenceStore(namespace, noExclusion),
      ),
      /holders were inside the lock at once/,
    );
  });

  /** A withLock that never releases: on success or failure, the key stays locked for ever. */
  const leaky = (): Partial<TokenStore> => {
    const stuck = new Set<string>();
    return {
      async withLock(key, fn) {
        if (stuck.has(key)) await new Promise(() => {}); // never acquired again
        stuck.add(key);
        return fn(unfenced(() => referenceStore('unused'), key));
      },
    };
  };

  it('a lease that outlives its withLock (no fencing) fails the lease cases', async () => {
    const unfencedLock = (namespace: string): Partial<TokenStore> => ({
      withLock: async (key, fn) => {
        const inner = referenceStore(namespace);
        return inner.withLock(key, () => fn(unfenced(() => inner, key)));
      },
    });
    await assert.rejects(
      runCase(
        byName(leaseCases, 'the lease ends with withLock'),
        ({ namespace }) => referenceStore(namespace, unfencedLock(namespace)),
        { lockWaitMs: 100 },
      ),
      /the lease's signal did not abort when withLock returned/,
    );
  });

  it('a withLock that stays locked after fn throws fails fast', async () => {
    const never = leaky();
    await assert.rejects(
      runCase(
        byName(lockCases, "withLock rejects with fn's own error"),
        ({ namespace }) => referenceStore(namespace, never),
        { lockWaitMs: 100 },
      ),
      /the lock was not released/,
    );
  });

  it('takes lockWaitMs from its options, and refuses one that is not positive', async () => {
    const registered = new Map<string, () => Promise<void>>();
    const api = {
      describe: (_name: string, fn: () => void) => fn(),
      it: (name: string, fn: () => Promise<void>) => void registered.set(name, fn),
    };
    const never = leaky();
    tokenStoreTestSuite(api, ({ namespace }) => referenceStore(namespace, never), { lockWaitMs: 100 });
    const releases = registered.get(byName(lockCases, "withLock rejects with fn's own error").name);
    await assert.rejects(releases!(), /the lock was not released .*within 100 ms/);
    assert.throws(
      () => tokenStoreTestSuite(api, ({ namespace }) => referenceStore(namespace), { lockWaitMs: 0 }),
      /`lockWaitMs` must be a positive number/,
    );
  });

  it('refuses a loseLock that is not a function', () => {
    const api = { describe: (_name: string, fn: () => void) => fn(), it: () => {} };
    assert.throws(
      () =>
        tokenStoreTestSuite(api, ({ namespace }) => referenceStore(namespace), { loseLock: 'yes' as never }),
      /`loseLock` must be a function when given/,
    );
  });

  it('refuses an unknown option, naming it (a misspelt lockWaitMs would silently be the default)', () => {
    const api = { describe: (_name: string, fn: () => void) => fn(), it: () => {} };
    assert.throws(
      () =>
        tokenStoreTestSuite(api, ({ namespace }) => referenceStore(namespace), { lock_wait_ms: 5 } as never),
      /tokenStoreTestSuite\(\): unknown option "lock_wait_ms". Did you mean "lockWaitMs"\?/,
    );
  });

  it('a store that never expires entries fails the expiry case', async () => {
    const forever = (): TokenStore => {
      const kept = new Map<string, TokenSet>();
      return {
        ...referenceStore('unused'),
        get: async (key) => structuredClone(kept.get(key)),
        set: async (key, token) => void kept.set(key, structuredClone(token)),
      };
    };
    await assert.rejects(
      runCase(byName(expiryCases, 'the entry expires with the refresh token'), forever, { expiryMs: 50 }),
      /outlived its refresh token/,
    );
  });

  it('close is called for every store a case made, even when the case fails', async () => {
    const closed: TokenStore[] = [];
    const made: TokenStore[] = [];
    const failing: SuiteCase = {
      name: 'fails',
      async run(ctx) {
        await ctx.store();
        await ctx.store(ctx.newNamespace());
        throw new Error('case failed');
      },
    };
    const make = ({ namespace }: { namespace: string }) => {
      const store = referenceStore(namespace);
      made.push(store);
      return store;
    };
    await assert.rejects(runCase(failing, make, { close: (s) => void closed.push(s) }), /case failed/);
    assert.deepStrictEqual(closed, made);
    assert.equal(made.length, 2);
  });
});
