import assert from 'node:assert/strict';
import type { StateStore, TokenStore } from '@rc/core';
import { supportsState } from '@rc/core/kit';
import type { SuiteCase, SuiteContext } from './context.js';
import { fullToken, sleep } from './fixtures.js';

// The optional StateStore capability (core's types.ts): JSON state records and leases, used by
// @rc/subscriptions to recover a WebSocket session after a restart and to elect one connection
// holder. Registered when the suite is run with `state: true`; `stateShapeCase` runs for every
// store: a store must implement all five methods or none.

async function stateStore(ctx: SuiteContext): Promise<TokenStore & StateStore> {
  const store = await ctx.store();
  assert.ok(
    supportsState(store),
    'the store does not implement StateStore (run the suite with state: false)',
  );
  return store;
}

export const stateShapeCase: SuiteCase = {
  name: 'implements all five StateStore methods or none of them',
  async run(ctx) {
    const store = await ctx.store();
    const methods = ['getState', 'setState', 'deleteState', 'acquireLease', 'releaseLease'] as const;
    const present = methods.filter((m) => typeof store[m] === 'function');
    assert.ok(present.length === 0 || present.length === methods.length, `only ${present.join(', ')}`);
  },
};

export const stateCases: readonly SuiteCase[] = [
  {
    name: 'setState then getState round-trips a JSON value; a missing key reads undefined',
    async run(ctx) {
      const store = await stateStore(ctx);
      const value = { wsc: { token: 'abc', sequence: 7 }, ids: ['a', 'b'], nested: { n: null, ok: true } };
      assert.equal(await store.getState('sub-1'), undefined);
      await store.setState('sub-1', value, 60_000);
      assert.deepStrictEqual(await store.getState('sub-1'), value);
    },
  },
  {
    name: 'state is shared by instances on one namespace, apart from tokens and other namespaces',
    async run(ctx) {
      const [a, b] = [await stateStore(ctx), await stateStore(ctx)];
      const other = await ctx.store(ctx.newNamespace());
      const token = fullToken();
      await a.set('k', token);
      await a.setState('k', { n: 1 }, 60_000);
      assert.deepStrictEqual(await b.getState('k'), { n: 1 });
      assert.deepStrictEqual(await b.get('k'), token, 'setState overwrote the token under the same key');
      assert.equal(await other.getState?.('k'), undefined);
      await b.deleteState('k');
      assert.equal(await a.getState('k'), undefined);
      assert.deepStrictEqual(await a.get('k'), token, 'deleteState deleted the token under the same key');
    },
  },
  {
    name: 'a state record expires after its ttlMs',
    async run(ctx) {
      const store = await stateStore(ctx);
      await store.setState('short', { n: 1 }, ctx.expiryMs);
      assert.deepStrictEqual(await store.getState('short'), { n: 1 });
      await sleep(ctx.expiryMs + 150);
      assert.equal(await store.getState('short'), undefined);
    },
  },
  {
    name: 'a lease has one owner at a time; its owner renews it; release frees it for others',
    async run(ctx) {
      const [a, b] = [await stateStore(ctx), await stateStore(ctx)];
      assert.equal(await a.acquireLease('lead', 'owner-a', 60_000), true);
      assert.equal(await b.acquireLease('lead', 'owner-b', 60_000), false);
      assert.equal(await a.acquireLease('lead', 'owner-a', 60_000), true, 'the owner could not renew');
      await b.releaseLease('lead', 'owner-b'); // not b's: must not free it
      assert.equal(await b.acquireLease('lead', 'owner-b', 60_000), false);
      await a.releaseLease('lead', 'owner-a');
      assert.equal(await b.acquireLease('lead', 'owner-b', 60_000), true);
    },
  },
  {
    name: 'an unrenewed lease expires after its ttlMs and another owner takes it',
    async run(ctx) {
      const [a, b] = [await stateStore(ctx), await stateStore(ctx)];
      assert.equal(await a.acquireLease('lead', 'owner-a', ctx.expiryMs), true);
      await sleep(ctx.expiryMs + 150);
      assert.equal(await b.acquireLease('lead', 'owner-b', 60_000), true);
      assert.equal(await a.acquireLease('lead', 'owner-a', 60_000), false, 'the old owner took it back');
    },
  },
  {
    name: 'of many concurrent contenders for a free lease exactly one wins',
    async run(ctx) {
      const stores = [await stateStore(ctx), await stateStore(ctx)];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => stores[i % 2]!.acquireLease('lead', `owner-${i}`, 60_000)),
      );
      assert.equal(results.filter(Boolean).length, 1, `${results.filter(Boolean).length} owners at once`);
    },
  },
];
