import { StoreError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXTEND, WRITE } from '../src/scripts.js';
import { deferred, keysOf, monitor, sleep, timed, token, useSharedRedis } from './helpers.js';

// withLock across store instances, each with its own connection: as two processes see it.

const shared = useSharedRedis('lock');
const { namespace, open } = shared;

describe('withLock', () => {
  it('excludes holders in two instances, and releases on throw', async () => {
    const [a, b] = [open(), open()];
    const order: string[] = [];
    const inside = deferred();
    const first = a.withLock('excl', async () => {
      order.push('a in');
      inside.resolve();
      await sleep(150);
      order.push('a out');
      throw new Error('fn failed');
    });
    first.catch(() => {}); // asserted below
    await inside.promise;
    const second = b.withLock('excl', async () => {
      order.push('b in');
      return 'b';
    });
    await expect(first).rejects.toThrow('fn failed');
    expect(await second).toBe('b');
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(await shared.raw.exists(keysOf(namespace, 'excl').lock)).toBe(0);
  });

  it('waits with backoff, not a busy loop: few attempts while another process holds the lock', async () => {
    const [a, b] = [open(), open()];
    const watch = await monitor(keysOf(namespace, 'backoff').lock);
    const inside = deferred();
    const holder = a.withLock('backoff', async () => {
      inside.resolve();
      await sleep(1_200);
    });
    await inside.promise;
    // Five waiters in the second process: only the head of its queue polls Redis.
    const waiters = Array.from({ length: 5 }, () => b.withLock('backoff', async () => 'ok'));
    expect(await Promise.all(waiters)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    await holder;
    watch.stop();
    const attempts = watch.lines.filter((l) => /"SET" ".*:lock" "[0-9a-f]{32}" "NX"/i.test(l)).length;
    // 1 for the holder + about 8 for b's head over 1.2 s (20 ms doubling to a 500 ms cap) + 5 quick ones.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(20);
  });

  it('gives up after lockWaitMs with StoreError "lock"', async () => {
    const [a, b] = [open(), open({ lockWaitMs: 300 })];
    const release = deferred();
    const holder = a.withLock('wait', () => release.promise);
    await sleep(50);
    const { ms, error } = await timed(b.withLock('wait', async () => 'never'));
    release.resolve();
    await holder;
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'lock', message: /Timed out after 300 ms/ });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(900);
  });

  it("takes over a crashed holder's lock once its TTL runs out", async () => {
    const store = open();
    // A "crashed process": it took the lock with a 400 ms TTL and will never release it.
    await shared.raw.set(keysOf(namespace, 'crash').lock, 'crashed-owner', { PX: 400, NX: true });
    const { ms, value } = await timed(store.withLock('crash', async () => 'mine'));
    expect(value).toBe('mine');
    expect(ms).toBeGreaterThan(300);
    expect(ms).toBeLessThan(1_200);
  });

  it('heartbeats keep the lock while fn runs well past lockTtlMs', async () => {
    const [a, b] = [open({ lockTtlMs: 600 }), open({ lockTtlMs: 600, lockWaitMs: 0 })];
    const lockKey = keysOf(namespace, 'heartbeat').lock;
    const holder = a.withLock('heartbeat', async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(250);
        expect(await shared.raw.pTTL(lockKey)).toBeGreaterThan(0);
        await expect(b.withLock('heartbeat', async () => 'stolen')).rejects.toMatchObject({
          operation: 'lock',
        });
      }
      return 'held for twice the TTL';
    });
    expect(await holder).toBe('held for twice the TTL');
    expect(await shared.raw.exists(lockKey)).toBe(0);
  });

  it('a holder whose lock was lost cannot overwrite the newer token', async () => {
    const [a, b] = [open(), open()];
    const keys = keysOf(namespace, 'lost');
    const original = token();
    await a.set('lost', original);
    const newer = token();
    const error = await a
      .withLock('lost', async (lease) => {
        // Our lock expires (simulated), another process takes it and stores a newer token.
        await shared.raw.del(keys.lock);
        await b.withLock('lost', async (other) => other.set(newer));
        await lease.set(token());
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'set', message: /^Lock lost/ });
    expect(await a.get('lost')).toEqual(newer);
    // Same for delete().
    await expect(
      a.withLock('lost', async (lease) => {
        await shared.raw.del(keys.lock);
        await lease.delete();
      }),
    ).rejects.toMatchObject({ operation: 'delete', message: /^Lock lost/ });
    expect(await a.get('lost')).toEqual(newer);
  });

  it('work that outlives its withLock (it returned, or was given up on) cannot write through its lease', async () => {
    const [a, b] = [open(), open()];
    const newer = token();
    let late!: Promise<void>;
    let signal!: AbortSignal;
    const watch = await monitor(keysOf(namespace, 'outlived').token);
    await a.withLock('outlived', async (lease) => {
      // Started inside the lock, finishing after it was released: the token manager's bounded
      // work that timed out, a grant that kept going.
      signal = lease.signal;
      late = sleep(50).then(() => lease.set(token()));
    });
    expect(signal.aborted).toBe(true);
    await b.withLock('outlived', async (lease) => lease.set(newer));
    const error = await late.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'set', message: /^Lock lost/ });
    expect(await a.get('outlived')).toEqual(newer);
    await sleep(50); // MONITOR lines arrive after the commands
    watch.stop();
    // Refused before it was sent: only b's write reached Redis.
    expect(watch.lines.filter((line) => line.includes(WRITE.sha))).toHaveLength(1);
  });

  it("the lease's signal aborts when a heartbeat finds the lock taken over", async () => {
    const store = open({ lockTtlMs: 300 });
    const keys = keysOf(namespace, 'stolen');
    const { ms, value } = await timed(
      store.withLock('stolen', async (lease) => {
        await shared.raw.set(keys.lock, 'new-owner', { PX: 10_000 });
        await new Promise<void>((resolve) => lease.signal.addEventListener('abort', () => resolve()));
        return (lease.signal.reason as Error).message;
      }),
    );
    expect(value).toMatch(/^Lock lost: .*was lost: it expired or was taken over/);
    expect(ms).toBeLessThan(300); // the first heartbeat, at lockTtlMs / 3
    await shared.raw.del(keys.lock);
  });

  it("a holder whose lock was taken over neither extends nor releases the new owner's lock", async () => {
    const store = open({ lockTtlMs: 300 });
    const keys = keysOf(namespace, 'taken');
    const watch = await monitor(keys.lock);
    await store.withLock('taken', async () => {
      // Our lock expires (simulated) and another process takes it for 10 s.
      await shared.raw.del(keys.lock);
      await shared.raw.set(keys.lock, 'new-owner', { PX: 10_000 });
      // Three heartbeat periods: the first beat finds the lock lost and the heartbeat stops.
      await sleep(350);
    });
    expect(await shared.raw.get(keys.lock)).toBe('new-owner');
    // A PEXPIRE to our lockTtlMs would have cut the new owner's 10 s short.
    expect(await shared.raw.pTTL(keys.lock)).toBeGreaterThan(9_000);
    // One heartbeat found the lock lost; none followed.
    await sleep(50); // MONITOR lines arrive after the commands
    watch.stop();
    expect(watch.lines.filter((line) => line.includes(EXTEND.sha))).toHaveLength(1);
  });

  it('a holder cannot overwrite a token written outside the lock while it held it', async () => {
    const [a, b] = [open(), open()];
    const outside = token();
    let signal!: AbortSignal;
    await expect(
      a.withLock('version', async (lease) => {
        signal = lease.signal;
        await lease.set(token()); // the holder's own writes are fine
        await b.set('version', outside); // a plain write by someone else
        await lease.set(token());
      }),
    ).rejects.toMatchObject({ operation: 'set', message: /changed outside the lock/ });
    expect(signal.aborted).toBe(true); // a refused write ends the lease
    expect(await a.get('version')).toEqual(outside);
  });

  it('nested locks on other keys work', async () => {
    const store = open({ lockWaitMs: 500 });
    const result = await store.withLock('outer', async () => store.withLock('inner', async () => 'nested'));
    expect(result).toBe('nested');
  });
});
