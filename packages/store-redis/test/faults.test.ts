import { StoreError } from '@rc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTokenStore, redisStore } from '../src/index.js';
import { connected, keysOf, OwnRedis, rawClient, sleep, timed, token } from './helpers.js';

// A Redis that goes away must never hang a call, nor be read as "no token": every call rejects
// with StoreError within commandTimeoutMs, and the same store works again once Redis is back.
// These tests break a redis-server of their own, on a free loopback port (never the shared one).

const TIMEOUT = 300;
const MARGIN = 250; // past the deadline, besides the machine's load (timed's stalledMs)
let redis: OwnRedis;
let store: RedisTokenStore;

beforeAll(async () => {
  redis = await OwnRedis.start();
  store = redisStore({
    url: redis.url,
    namespace: 'rc-test-faults',
    commandTimeoutMs: TIMEOUT,
    lockTtlMs: 1_000,
  });
});
afterAll(async () => {
  redis.thaw();
  await store?.close();
  await redis?.kill();
});

async function expectStoreErrorInTime(call: Promise<unknown>, operation: string) {
  const { ms, stalledMs, error } = await timed(call);
  expect(error).toBeInstanceOf(StoreError);
  expect(error).toMatchObject({ operation, code: 'RC_STORE' });
  expect(ms - stalledMs).toBeLessThan(TIMEOUT + MARGIN);
  return error as StoreError;
}

describe('a Redis that goes away', () => {
  it('works while Redis is up', async () => {
    const t = token();
    await store.set('user', t);
    expect(await store.get('user')).toEqual(t);
  });

  it('a busy event loop: an answer that came in time, read after a stall past the deadline, is no timeout', async () => {
    const t = token();
    await store.set('stalled', t);
    // Redis holds the command (frozen) until this process stalls (a GC pause, sync work, a starved
    // CPU), then answers at once, well within the deadline; the stall outlasts the deadline, whose
    // timer is then due before the answer waiting on the socket is read.
    redis.freeze();
    const started = performance.now();
    const call = store.get('stalled');
    await sleep(20); // the command is on the wire
    await new Promise((resolve) => setImmediate(resolve)); // the stall ends where timers run next
    redis.thaw();
    while (performance.now() < started + 2 * TIMEOUT) {} // the stall
    await expect(call).resolves.toEqual(t);
  });

  it('killed: get, set, delete and withLock reject with StoreError within commandTimeoutMs', async () => {
    await redis.kill();
    // The first call may meet the dying socket ("Socket closed unexpectedly"); later ones wait for
    // the reconnecting client until their deadline.
    await expectStoreErrorInTime(store.get('user'), 'get');
    const error = await expectStoreErrorInTime(store.get('user'), 'get');
    expect(error.message).toMatch(/did not answer within 300 ms .*ECONNREFUSED/);
    await expectStoreErrorInTime(store.set('user', token()), 'set');
    await expectStoreErrorInTime(store.delete('user'), 'delete');
    await expectStoreErrorInTime(
      store.withLock('user', async () => 'never runs'),
      'lock',
    );
  });

  it('restarted on the same port: the next call succeeds, with the same store', async () => {
    await redis.start();
    expect(await store.get('user')).toBeUndefined(); // a fresh Redis (no persistence)
    const t = token();
    await store.set('user', t);
    expect(await store.get('user')).toEqual(t);
  });

  it('frozen (accepts nothing, answers nothing): calls still reject within commandTimeoutMs', async () => {
    redis.freeze();
    await expectStoreErrorInTime(store.get('user'), 'get');
    await expectStoreErrorInTime(store.set('user', token()), 'set');
    await expectStoreErrorInTime(
      store.withLock('user', async () => 'never runs'),
      'lock',
    );
    redis.thaw();
    await sleep(50);
    expect(await store.get('user')).toMatchObject({ tokenType: 'bearer' });
  });

  it('frozen while acquiring: a lock Redis grants after the caller gave up is released when it thaws', async () => {
    await store.withLock('late', async () => {}); // the scripts are loaded: the frozen call is the real one
    redis.freeze();
    await expectStoreErrorInTime(
      store.withLock('late', async () => 'never runs'),
      'lock',
    );
    redis.thaw();
    await sleep(100);
    // Left in place, it would make every process wait out lockTtlMs for a holder that never was.
    const raw = await rawClient(redis.url);
    try {
      expect(await raw.exists(keysOf('rc-test-faults', 'late').lock)).toBe(0);
    } finally {
      raw.destroy();
    }
  });

  it("dies while fn holds the lock: fn's write fails, withLock rejects with it, nothing hangs", async () => {
    const { ms, stalledMs, error } = await timed(
      store.withLock('user', async (lease) => {
        await redis.kill();
        await lease.set(token());
      }),
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'set' });
    expect(ms - stalledMs).toBeLessThan(2 * TIMEOUT + 2 * MARGIN); // the write's deadline, then the release's
    await redis.start();
  });

  it('never reachable: fails fast, then connects once Redis appears', async () => {
    const later = await OwnRedis.start();
    await later.kill();
    const fresh = redisStore({ url: later.url, commandTimeoutMs: TIMEOUT });
    try {
      await expectStoreErrorInTime(fresh.get('user'), 'get');
      await later.start();
      expect(await fresh.get('user')).toBeUndefined();
    } finally {
      await fresh.close();
      await later.kill();
    }
  });

  it('close() on a frozen Redis is bounded', async () => {
    const other = redisStore({ url: redis.url, commandTimeoutMs: TIMEOUT });
    await connected(other);
    redis.freeze();
    const pending = other.get('user').catch(() => undefined);
    const { ms, stalledMs } = await timed(other.close());
    redis.thaw();
    await pending;
    expect(ms - stalledMs).toBeLessThan(TIMEOUT + MARGIN);
  });
});
