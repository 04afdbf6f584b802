import assert from 'node:assert/strict';
import type { Lease, TokenStore } from '@rc/core';
import type { SuiteCase, SuiteContext } from './context.js';
import { fullToken, sleep, within } from './fixtures.js';

// The lease `withLock` hands its holder is what makes a late write impossible: once the lock is
// lost or its holder's time is up, the lease's signal aborts and its writes are refused by the
// store itself, so work that outlived its lock (a token request answered late, a paused process)
// cannot overwrite the token the next holder stored. Every wait is bounded with `within()`.

/** Resolves once `signal` aborts (bounded by the case's lock wait). */
const aborted = (signal: AbortSignal, ctx: SuiteContext, what: string) =>
  within(
    new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    }),
    ctx.lockWaitMs,
    `the lease's signal did not abort ${what}`,
  );

/** Asserts that a write through `lease` is refused with a StoreError ("Lock lost") and writes nothing. */
async function refused(
  write: Promise<void>,
  store: TokenStore,
  key: string,
  expected: unknown,
  what: string,
) {
  await assert.rejects(write, (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, 'RC_STORE', `${what}: not a StoreError`);
    assert.match((error as Error).message, /^Lock lost/, `${what}: the message does not start "Lock lost"`);
    return true;
  });
  assert.deepStrictEqual(await store.get(key), expected, `${what}: the write reached the store`);
}

export const leaseCases: readonly SuiteCase[] = [
  {
    name: 'fn gets a live lease on the key, whose set and delete write the locked key',
    async run(ctx) {
      const store = await ctx.store();
      const token = fullToken();
      const read = await within(
        store.withLock('user-1', async (lease) => {
          assert.equal(lease.key, 'user-1');
          assert.equal(lease.signal.aborted, false, 'the lease was aborted from the start');
          await lease.set(token);
          const stored = await store.get('user-1');
          await lease.delete();
          assert.equal(await store.get('user-1'), undefined, 'lease.delete() left the token');
          await lease.set(token);
          return stored;
        }),
        ctx.lockWaitMs,
        'withLock with lease writes did not finish',
      );
      assert.deepStrictEqual(read, token);
      assert.deepStrictEqual(await store.get('user-1'), token);
    },
  },
  {
    name: "the lease ends with withLock: its signal aborts, and a later write through it is refused, keeping the next holder's token",
    async run(ctx) {
      const [a, b] = [await ctx.store(), await ctx.store()];
      let kept: Lease | undefined;
      await a.withLock('user-1', async (lease) => {
        kept = lease;
      });
      assert.ok(kept, 'fn was not given a lease');
      await aborted(kept.signal, ctx, 'when withLock returned');
      const newer = fullToken();
      await within(
        b.withLock('user-1', (lease) => lease.set(newer)),
        ctx.lockWaitMs,
        'the next holder did not get the lock',
      );
      await refused(kept.set(fullToken()), a, 'user-1', newer, 'a set through an ended lease');
      await refused(kept.delete(), a, 'user-1', newer, 'a delete through an ended lease');
    },
  },
  {
    name: "the signal aborts when the holder's bound passes (fn given up on while its work goes on), and the late write is refused",
    async run(ctx) {
      const store = await ctx.store();
      const original = fullToken();
      await store.set('user-1', original);
      let late: Promise<void> | undefined;
      let signal: AbortSignal | undefined;
      const bound = new Error('the bound passed');
      await assert.rejects(
        store.withLock('user-1', (lease) => {
          signal = lease.signal;
          // The work: waits, then writes. The bound: gives up on it after 50 ms (as the token
          // manager does with a token request that takes too long).
          late = sleep(150).then(() => lease.set(fullToken()));
          late.catch(() => undefined);
          return new Promise<never>((_, reject) => setTimeout(() => reject(bound), 50));
        }),
        (error) => error === bound,
      );
      assert.ok(signal && late, 'fn was not given a lease');
      await aborted(signal, ctx, 'when fn was given up on');
      await refused(late, store, 'user-1', original, 'a write from work that outlived its bound');
    },
  },
];

/** With the store's `loseLock`: a lock lost while held (expired, taken over) ends the lease. */
export const lostLeaseCase: SuiteCase = {
  name: 'the signal aborts when the lock is lost while held, and writes through the lease are refused',
  async run(ctx) {
    const store = await ctx.store();
    const original = fullToken();
    await store.set('user-1', original);
    const lose = ctx.loseLock;
    assert.ok(lose, 'loseLock is required for this case');
    await within(
      store.withLock('user-1', async (lease) => {
        await lose({ store, namespace: ctx.namespace, key: 'user-1' });
        await aborted(lease.signal, ctx, 'after the lock was lost');
        await refused(lease.set(fullToken()), store, 'user-1', original, 'a write after the lock was lost');
      }),
      ctx.lockWaitMs * 3,
      'withLock did not finish after the lock was lost',
    );
  },
};
