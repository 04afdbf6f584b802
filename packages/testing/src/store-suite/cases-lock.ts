import assert from 'node:assert/strict';
import type { SuiteCase } from './context.js';
import { deferred, fullToken, sleep, within } from './fixtures.js';

// `withLock` is what keeps two holders of one refresh token from both spending it (refresh tokens
// are single-use). Every wait below is bounded with `within()`, so a lock that is never released,
// or one that deadlocks, fails its case with a message instead of hanging the run.

const CONTENDERS = 20;

export const lockCases: readonly SuiteCase[] = [
  {
    name: "withLock resolves to fn's value",
    async run(ctx) {
      const store = await ctx.store();
      const value = { answer: 42 };
      assert.equal(await store.withLock('user-1', async () => value), value);
    },
  },
  {
    name: "withLock rejects with fn's own error and releases the lock",
    async run(ctx) {
      const store = await ctx.store();
      const boom = new Error('boom from fn');
      await assert.rejects(
        store.withLock('user-1', async () => {
          throw boom;
        }),
        (error) => error === boom,
      );
      const next = store.withLock('user-1', async () => 'ran');
      assert.equal(await within(next, ctx.lockWaitMs, 'the lock was not released after fn threw'), 'ran');
    },
  },
  {
    name: `withLock excludes: ${CONTENDERS} concurrent holders across two instances run one at a time`,
    async run(ctx) {
      const stores = [await ctx.store(), await ctx.store()];
      let inside = 0;
      let maxInside = 0;
      let ran = 0;
      const holders = Array.from({ length: CONTENDERS }, (_, i) =>
        stores[i % stores.length]!.withLock('user-1', async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await sleep(3);
          ran += 1;
          inside -= 1;
          return i;
        }),
      );
      const results = await within(
        Promise.all(holders),
        ctx.lockWaitMs * 5,
        'the contending holders did not all finish',
      );
      assert.equal(maxInside, 1, `${maxInside} holders were inside the lock at once`);
      assert.equal(ran, CONTENDERS);
      assert.deepStrictEqual(
        results,
        Array.from({ length: CONTENDERS }, (_, i) => i),
      );
    },
  },
  {
    name: 'locks on different keys do not block each other',
    async run(ctx) {
      const store = await ctx.store();
      const insideA = deferred();
      const releaseA = deferred();
      const holderA = store.withLock('a', async () => {
        insideA.resolve();
        await releaseA.promise;
      });
      try {
        await within(insideA.promise, ctx.lockWaitMs, 'the lock on key A was not acquired');
        const b = store.withLock('b', async () => 'b ran');
        assert.equal(await within(b, ctx.lockWaitMs, 'a lock held on key A blocked key B'), 'b ran');
      } finally {
        releaseA.resolve();
        // Bounded and quiet: this only tidies up; the assertions above decide the case.
        await within(holderA, ctx.lockWaitMs, 'the lock on key A').catch(() => undefined);
      }
    },
  },
  {
    name: 'the lock holder can get, set and delete the locked key',
    async run(ctx) {
      const store = await ctx.store();
      const token = fullToken();
      const inside = store.withLock('user-1', async () => {
        assert.equal(await store.get('user-1'), undefined);
        await store.set('user-1', token);
        const read = await store.get('user-1');
        await store.delete('user-1');
        await store.set('user-1', token);
        return read;
      });
      const read = await within(
        inside,
        ctx.lockWaitMs,
        'get/set inside withLock waited for the lock (deadlock)',
      );
      assert.deepStrictEqual(read, token);
      assert.deepStrictEqual(await store.get('user-1'), token);
    },
  },
];
