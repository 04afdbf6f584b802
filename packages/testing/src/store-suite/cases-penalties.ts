import assert from 'node:assert/strict';
import type { SharedPenalties, TokenStore } from '@rc/core';
import type { SuiteCase } from './context.js';
import { sleep, within } from './fixtures.js';

// The optional `penalties` capability (rate-limit penalties shared by everyone on the store). Run
// for stores that claim it (the suite's `penalties` option): a penalty published by one instance
// reaches every instance on the namespace, and a new instance loads the ones still running.

const need = (store: TokenStore): SharedPenalties => {
  assert.ok(store.penalties, 'the store has no `penalties` (SharedPenalties)');
  for (const m of ['publish', 'subscribe', 'load'] as const)
    assert.equal(typeof store.penalties[m], 'function', `penalties.${m} is not a function`);
  return store.penalties;
};

/** Resolves with the first penalty `board` hears of (its listener removed after). */
const heard = (board: SharedPenalties) => {
  let unsubscribe = () => {};
  const promise = new Promise<[string, number]>((resolve) => {
    unsubscribe = board.subscribe((group, until) => resolve([group, until]));
  });
  return { promise, unsubscribe: () => unsubscribe() };
};

export const penaltyCases: readonly SuiteCase[] = [
  {
    name: 'penalties: one published by one instance reaches another instance on the namespace',
    async run(ctx) {
      const [a, b] = [need(await ctx.store()), need(await ctx.store())];
      await b.load(); // subscribed and ready
      const hear = heard(b);
      const until = Date.now() + 5_000;
      await a.publish('Light', until);
      const [group, end] = await within(hear.promise, ctx.lockWaitMs, 'the penalty never arrived');
      hear.unsubscribe();
      assert.equal(group, 'Light');
      assert.ok(Math.abs(end - until) < 1_000, `the end moved by ${end - until} ms`);
    },
  },
  {
    name: 'penalties: a new instance loads the ones still running, not the ones over',
    async run(ctx) {
      const a = need(await ctx.store());
      await a.publish('Heavy', Date.now() + 5_000);
      await a.publish('Medium', Date.now() + 300);
      await sleep(600);
      const loaded = await need(await ctx.store()).load();
      assert.deepEqual(Object.keys(loaded), ['Heavy']);
      assert.ok((loaded.Heavy ?? 0) > Date.now() + 3_000);
    },
  },
  {
    name: 'penalties: a shorter one does not cut a running one short',
    async run(ctx) {
      const a = need(await ctx.store());
      await a.publish('Auth', Date.now() + 5_000);
      await a.publish('Auth', Date.now() + 1_000);
      const loaded = await need(await ctx.store()).load();
      assert.ok((loaded.Auth ?? 0) > Date.now() + 3_000);
    },
  },
  {
    name: 'penalties: namespaces are isolated, and unsubscribe stops delivery',
    async run(ctx) {
      const a = need(await ctx.store());
      const other = need(await ctx.store(ctx.newNamespace()));
      const same = need(await ctx.store());
      await Promise.all([a.load(), other.load(), same.load()]);
      const got: string[] = [];
      other.subscribe((group) => got.push(`other:${group}`));
      const stop = same.subscribe((group) => got.push(`same:${group}`));
      stop();
      const control = heard(a);
      await a.publish('Light', Date.now() + 5_000);
      await within(control.promise, ctx.lockWaitMs, 'the publisher never heard its own penalty');
      control.unsubscribe();
      await sleep(200);
      assert.deepEqual(got, []);
      assert.deepEqual(await other.load(), {});
    },
  },
];
