import assert from 'node:assert/strict';
import type { SharedBudget, TokenStore } from '@rc/core';
import { supportsBudget } from '@rc/core/kit';
import type { SuiteCase } from './context.js';
import { sleep } from './fixtures.js';

// The optional `budget` capability (one rate-limit budget per group for everyone on the store).
// Run for stores that claim it (the suite's `budget` option): instances on a namespace draw from
// one window, never more than its limit, grants come back as the window slides, and a limit passed
// by one instance holds for one that does not know it.

const need = (store: TokenStore): SharedBudget => {
  assert.ok(supportsBudget(store), 'the store has no `budget` (SharedBudget)');
  return store.budget;
};

export const budgetCases: readonly SuiteCase[] = [
  {
    name: 'budget: instances on one namespace share one window; past its limit a slice waits its turn',
    async run(ctx) {
      const [a, b] = [need(await ctx.store()), need(await ctx.store())];
      assert.deepEqual(await a.take('Heavy', 4, 10, 5_000), { granted: 4, inMs: 0 });
      await sleep(50); // the first 4 leave the window before the next 6
      // Asked together: 6 are left now, whoever asks.
      const [x, y] = await Promise.all([a.take('Heavy', 4, 10, 5_000), b.take('Heavy', 4, 10, 5_000)]);
      assert.equal(x.inMs + y.inMs, 0);
      assert.equal(x.granted + y.granted, 6);
      // The window is full: the next slice is reserved for when the first 4 leave it, no more than 4.
      const later = await b.take('Heavy', 8, 10, 5_000);
      assert.equal(later.granted, 4);
      assert.ok(later.inMs > 4_000 && later.inMs <= 4_960, `in ${later.inMs} ms`);
      // ...and the one after, behind it: when the next 6 leave.
      const after = await a.take('Heavy', 1, 10, 5_000);
      assert.equal(after.granted, 1);
      assert.ok(after.inMs >= later.inMs, `in ${after.inMs} ms, before the slice ahead (${later.inMs} ms)`);
    },
  },
  {
    name: 'budget: grants come back as the window slides; groups and namespaces are apart',
    async run(ctx) {
      const a = need(await ctx.store());
      assert.equal((await a.take('Light', 3, 3, 400)).granted, 3);
      assert.ok((await a.take('Medium', 2, 3, 400)).inMs === 0, 'another group has its own window');
      const other = need(await ctx.store(ctx.newNamespace()));
      assert.deepEqual(
        await other.take('Light', 3, 3, 400),
        { granted: 3, inMs: 0 },
        'another namespace has its own',
      );
      await sleep(600);
      assert.deepEqual(await a.take('Light', 5, 3, 400), { granted: 3, inMs: 0 });
    },
  },
  {
    name: 'budget: a limit passed by one instance holds for one that passes none; none known grants all',
    async run(ctx) {
      const [a, b] = [need(await ctx.store()), need(await ctx.store())];
      assert.deepEqual(
        await b.take('Auth', 7, 0, 0),
        { granted: 7, inMs: 0 },
        'no limit known: all, now (counted)',
      );
      assert.deepEqual(await a.take('Auth', 1, 8, 5_000), { granted: 1, inMs: 0 });
      const left = await b.take('Auth', 3, 0, 0);
      assert.ok(left.inMs > 4_000, 'the 7 granted before count against the limit learnt since');
    },
  },
  {
    name: 'budget: what the server reports spent counts, however it was sent',
    async run(ctx) {
      const a = need(await ctx.store());
      // 4 of 5 spent (requests sent before the group was paced): one is left now, then a wait.
      assert.deepEqual(await a.take('Medium', 1, 5, 5_000, 4), { granted: 1, inMs: 0 });
      assert.ok((await a.take('Medium', 1, 5, 5_000, 4)).inMs > 4_000, 'the spent ones were not counted');
    },
  },
];
