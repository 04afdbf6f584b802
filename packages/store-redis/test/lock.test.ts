import { StoreError } from '@rc/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTokenStore, redisStore } from '../src/index.js';
import {
  deleteNamespace,
  keysOf,
  monitor,
  type RawClient,
  randomNamespace,
  rawClient,
  redisUrl,
  sleep,
  timed,
  token,
} from './helpers.js';

// withLock across store instances, each with its own connection: as two processes see it.

const namespace = randomNamespace('lock');
let raw: RawClient;
const opened: RedisTokenStore[] = [];
const open = (options: Parameters<typeof redisStore>[0] = {}) => {
  const store = redisStore({ url: redisUrl(), namespace, ...options });
  opened.push(store);
  return store;
};

beforeAll(async () => {
  raw = await rawClient();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  raw.destroy();
  await deleteNamespace(namespace);
});

describe('withLock', () => {
  it('excludes holders in two instances, and releases on throw', async () => {
    const [a, b] = [open(), open()];
    const order: string[] = [];
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = a.withLock('excl', async () => {
      order.push('a in');
      entered();
      await sleep(150);
      order.push('a out');
      throw new Error('fn failed');
    });
    first.catch(() => {}); // asserted below
    await inside;
    const second = b.withLock('excl', async () => {
      order.push('b in');
      return 'b';
    });
    await expect(first).rejects.toThrow('fn failed');
    expect(await second).toBe('b');
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(await raw.exists(keysOf(namespace, 'excl').lock)).toBe(0);
  });

  it('waits with backoff, not a busy loop: few attempts while another process holds the lock', async () => {
    const [a, b] = [open(), open()];
    const watch = await monitor(keysOf(namespace, 'backoff').lock);
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holder = a.withLock('backoff', async () => {
      entered();
      await sleep(1_200);
    });
    await inside;
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
    let release!: () => void;
    const holder = a.withLock('wait', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    const { ms, error } = await timed(b.withLock('wait', async () => 'never'));
    release();
    await holder;
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'lock', message: /Timed out after 300 ms/ });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(900);
  });

  it("takes over a crashed holder's lock once its TTL runs out", async () => {
    const store = open();
    // A "crashed process": it took the lock with a 400 ms TTL and will never release it.
    await raw.set(keysOf(namespace, 'crash').lock, 'crashed-owner', { PX: 400, NX: true });
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
        expect(await raw.pTTL(lockKey)).toBeGreaterThan(0);
        await expect(b.withLock('heartbeat', async () => 'stolen')).rejects.toMatchObject({
          operation: 'lock',
        });
      }
      return 'held for twice the TTL';
    });
    expect(await holder).toBe('held for twice the TTL');
    expect(await raw.exists(lockKey)).toBe(0);
  });

  it('a holder whose lock was lost cannot overwrite the newer token', async () => {
    const [a, b] = [open(), open()];
    const keys = keysOf(namespace, 'lost');
    const original = token();
    await a.set('lost', original);
    const newer = token();
    const error = await a
      .withLock('lost', async () => {
        // Our lock expires (simulated), another process takes it and stores a newer token.
        await raw.del(keys.lock);
        await b.withLock('lost', async () => b.set('lost', newer));
        await a.set('lost', token());
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'set', message: /^Lock lost/ });
    expect(await a.get('lost')).toEqual(newer);
    // Same for delete().
    await expect(
      a.withLock('lost', async () => {
        await raw.del(keys.lock);
        await a.delete('lost');
      }),
    ).rejects.toMatchObject({ operation: 'delete', message: /^Lock lost/ });
    expect(await a.get('lost')).toEqual(newer);
  });

  it('a holder cannot overwrite a token written outside the lock while it held it', async () => {
    const [a, b] = [open(), open()];
    const outside = token();
    await expect(
      a.withLock('version', async () => {
        await a.set('version', token()); // the holder's own writes are fine
        await b.set('version', outside); // a plain write by someone else
        await a.set('version', token());
      }),
    ).rejects.toMatchObject({ operation: 'set', message: /changed outside the lock/ });
    expect(await a.get('version')).toEqual(outside);
  });

  it('is re-entrant for the same key, and nested locks on other keys work', async () => {
    const store = open({ lockWaitMs: 500 });
    const result = await store.withLock('outer', async () =>
      store.withLock('outer', async () => store.withLock('inner', async () => 'nested')),
    );
    expect(result).toBe('nested');
  });
});
