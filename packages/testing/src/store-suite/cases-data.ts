import assert from 'node:assert/strict';
import type { SuiteCase } from './context.js';
import { fullToken, minimalToken } from './fixtures.js';

// get/set/delete and isolation. Equality is `deepStrictEqual`: a store must give back exactly the
// TokenSet it was given, with no missing, extra or `undefined`-valued fields and no type changes
// (a number stored as a string would break expiry checks in the token manager).

export const dataCases: readonly SuiteCase[] = [
  {
    name: 'get of a missing key resolves to undefined',
    async run(ctx) {
      const store = await ctx.store();
      assert.equal(await store.get('missing'), undefined);
    },
  },
  {
    name: 'set then get round-trips every TokenSet field exactly',
    async run(ctx) {
      const store = await ctx.store();
      const token = fullToken();
      await store.set('user-1', token);
      assert.deepStrictEqual(await store.get('user-1'), token);
    },
  },
  {
    name: 'set then get round-trips a minimal TokenSet (required fields only)',
    async run(ctx) {
      const store = await ctx.store();
      const token = minimalToken();
      await store.set('user-1', token);
      assert.deepStrictEqual(await store.get('user-1'), token);
    },
  },
  {
    name: 'set overwrites the previous token',
    async run(ctx) {
      const store = await ctx.store();
      await store.set('user-1', fullToken());
      const second = minimalToken();
      await store.set('user-1', second);
      assert.deepStrictEqual(await store.get('user-1'), second);
    },
  },
  {
    name: 'delete removes the token, and deleting a missing key is fine',
    async run(ctx) {
      const store = await ctx.store();
      await store.set('user-1', fullToken());
      await store.delete('user-1');
      assert.equal(await store.get('user-1'), undefined);
      await store.delete('user-1');
      await store.delete('never-set');
    },
  },
  {
    name: 'keys are isolated from each other',
    async run(ctx) {
      const store = await ctx.store();
      const a = fullToken();
      const b = fullToken();
      await store.set('a', a);
      await store.set('b', b);
      assert.deepStrictEqual(await store.get('a'), a);
      assert.deepStrictEqual(await store.get('b'), b);
      await store.delete('a');
      assert.equal(await store.get('a'), undefined);
      assert.deepStrictEqual(await store.get('b'), b);
    },
  },
  {
    name: 'namespaces are isolated from each other',
    async run(ctx) {
      const one = await ctx.store();
      const other = await ctx.store(ctx.newNamespace());
      const token = fullToken();
      await one.set('user-1', token);
      assert.equal(await other.get('user-1'), undefined);
      const otherToken = fullToken();
      await other.set('user-1', otherToken);
      assert.deepStrictEqual(await one.get('user-1'), token);
      await other.delete('user-1');
      assert.deepStrictEqual(await one.get('user-1'), token);
    },
  },
  {
    name: "two store instances on one namespace see each other's writes",
    async run(ctx) {
      const first = await ctx.store();
      const second = await ctx.store();
      const token = fullToken();
      await first.set('user-1', token);
      assert.deepStrictEqual(await second.get('user-1'), token);
      const refreshed = fullToken();
      await second.set('user-1', refreshed);
      assert.deepStrictEqual(await first.get('user-1'), refreshed);
      await first.delete('user-1');
      assert.equal(await second.get('user-1'), undefined);
    },
  },
];
