import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { type ClientOptions, type RcError, StoreError } from '@rc/core';
import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisCommand } from '../../../scripts/services/redis.mjs';
import { bundleScript, killChildren, startChild } from '../../../test-support/child-process.js';
import type { RedisTokenStore } from '../src/index.js';
import {
  connected,
  keysOf,
  mockClient,
  OwnRedis,
  EXTENSION_PATH as PATH,
  passwordLogin,
  randomNamespace,
  rawClient,
  sleep,
  storeOpener,
  timed,
} from './helpers.js';

// A client (@rc/core) on redisStore when things break: Redis goes away and comes back, the process
// holding the refresh lock is killed, a token entry is corrupt. Requests must never hang, and every
// failure must be a typed RcError that says what happened, without a secret. The Redis here is a
// redis-server of this file's own on a free loopback port (never the shared one).

const TIMEOUT = 300; // commandTimeoutMs
const MARGIN = 300; // scheduling slack, besides the event loop's stalls (timed's stalledMs)
const FIRST_BACKOFF_MAX = 500; // core's token manager: the wait before the attempt after a failure

let redis: OwnRedis;
let server: MockServer;
let namespace: string;
let buildDir: string;
const stores = storeOpener(() => ({
  url: redis.url,
  namespace,
  commandTimeoutMs: TIMEOUT,
  lockTtlMs: 1_000,
}));
const open = stores.open;

const client = (store: RedisTokenStore, extra: Partial<ClientOptions> = {}) =>
  mockClient(server, store, { timeout: 5_000, ...extra });
const redisUp = async () =>
  (await redisCommand({ port: redis.port }, ['PING'], 200).catch(() => null)) === 'PONG';

beforeAll(async () => {
  redis = await OwnRedis.start();
  server = await startMockServer({ latencyMs: { min: 0, max: 20 } });
  buildDir = await mkdtemp(join(tmpdir(), 'rc-lock-holder-'));
});
beforeEach(() => {
  namespace = randomNamespace('client-faults');
  server.resetStats();
});
afterEach(async () => {
  killChildren();
  await stores.closeAll();
  if (!(await redisUp())) await redis.start();
  await redisCommand({ port: redis.port }, ['FLUSHALL']); // this file's own server: every key is ours
});
afterAll(async () => {
  await redis?.kill();
  await server?.close();
  await rm(buildDir, { recursive: true, force: true });
});

describe('a client on redisStore when Redis stops', () => {
  it('keeps serving requests whose in-memory token is valid, fails the refresh path in time, and recovers on restart', async () => {
    const store = open();
    const rc = client(store);
    const authErrors: RcError[] = [];
    rc.on('authError', (e) => authErrors.push(e));
    await connected(store);
    await rc.setToken(server.issueToken());
    await Promise.all(Array.from({ length: 20 }, () => rc.get(PATH).json()));

    await redis.kill();
    // The token is valid and in memory: no store command is needed, so Redis being gone changes nothing.
    const served = await Promise.allSettled(Array.from({ length: 100 }, () => rc.get(PATH).json()));
    expect(served.filter((r) => r.status === 'rejected')).toEqual([]);

    // The server rejects the token: the refresh path needs the store. Twice: the first attempt may
    // meet the dying socket, the second waits on a reconnecting client until its deadline.
    server.invalidateAccessTokens();
    for (let attempt = 0; attempt < 2; attempt++) {
      const { ms, stalledMs, value } = await timed(
        Promise.allSettled(Array.from({ length: 20 }, () => rc.get(PATH).json())),
      );
      // The second attempt also waits out the token manager's backoff after the first failure
      // (at most 500 ms after one failure), so no caller stampedes a store that is down.
      expect(ms - stalledMs).toBeLessThan(TIMEOUT + (attempt === 0 ? 0 : FIRST_BACKOFF_MAX) + MARGIN);
      for (const r of value ?? []) {
        expect(r.status).toBe('rejected');
        const error = (r as PromiseRejectedResult).reason as RcError;
        expect(error).toBeInstanceOf(StoreError);
        expect(error).toMatchObject({ code: 'RC_STORE', operation: 'get' });
        expect(error.message).toMatch(/Redis/);
      }
    }
    // A store that fails is never read as "no token": nothing was sent to the token endpoint.
    expect(server.stats.byGrant).toEqual({});
    // Listeners of 'authError' heard of it too (at least once per attempt).
    expect(authErrors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(authErrors.map((e) => e.code))).toEqual(new Set(['RC_STORE']));

    // Redis back on the same port (empty: no persistence): the same client refreshes with the
    // refresh token it holds, and stores the new token there.
    await redis.start();
    await expect(rc.get(PATH).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
    const current = await rc.getToken();
    expect((await store.get(rc.sessionKey))?.accessToken).toBe(current?.accessToken);
  });
});

/**
 * Another process that takes the session's lock through a real redisStore and never lets go, as a
 * process stuck in a refresh would: its heartbeat keeps the lock alive until the process dies. The
 * script is bundled from the sources with esbuild (no build of the packages needed).
 */
async function startLockHolder(options: { lockTtlMs: number }): Promise<ChildProcess> {
  const script = await bundleScript(
    {
      contents: `
        import { redisStore } from '@rc/store-redis';
        const [url, namespace, key, lockTtlMs] = process.argv.slice(2);
        const store = redisStore({ url, namespace, lockTtlMs: Number(lockTtlMs) });
        await store.withLock(key, () => {
          process.stdout.write('{"type":"held"}\\n');
          return new Promise(() => {});
        });`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    },
    join(buildDir, `holder-${randomBytes(4).toString('hex')}.mjs`),
  );
  const holder = startChild(script, {
    args: [redis.url, namespace, 'default', String(options.lockTtlMs)],
  });
  await holder.waitFor((line) => line.type === 'held', 10_000, 'the lock holder to take the lock');
  return holder.process;
}

describe('the process holding the refresh lock is killed (SIGKILL)', () => {
  it('another client takes over once the lock TTL runs out, refreshes, and its request waits no longer', async () => {
    const LOCK_TTL = 1_500;
    await client(open()).setToken(server.issueToken());
    const holder = await startLockHolder({ lockTtlMs: LOCK_TTL });

    const rc = client(open({ lockTtlMs: LOCK_TTL, lockWaitMs: 10_000, commandTimeoutMs: TIMEOUT }));
    await rc.getToken(); // holds the stored token in memory, as a running process would
    server.invalidateAccessTokens();
    let settledAt: number | undefined;
    const request = rc
      .get(PATH)
      .json()
      .finally(() => {
        settledAt = performance.now();
      });

    // Longer than the TTL: a live holder's heartbeat keeps its lock; nobody refreshes meanwhile.
    await sleep(LOCK_TTL + 500);
    expect(settledAt).toBeUndefined();
    expect(server.stats.byGrant).toEqual({});

    const killedAt = performance.now();
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    await expect(request).resolves.toMatchObject({ name: 'Mock User' });
    const waited = settledAt! - killedAt;
    // The lock outlives its holder by what is left of its TTL (the last heartbeat was at most
    // TTL/3 before the kill), and the waiter polls at most every lockTtlMs/10: it takes over soon
    // after, and no later than the TTL plus one poll, the refresh and the request (a margin).
    expect(waited).toBeGreaterThan((LOCK_TTL * 2) / 3 - 100);
    expect(waited).toBeLessThan(LOCK_TTL + 500);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
  });
});

describe('a corrupt value under the token key', () => {
  it.each([
    [
      'not JSON',
      (secret: string) => `{"value":{"accessToken":"${secret}","tokenType":"bearer","expir`,
      /is not JSON/,
    ],
    [
      'not a TokenSet',
      (secret: string) =>
        JSON.stringify({ value: { accessToken: secret, tokenType: 'bearer', expiresAt: 'soon' } }),
      /is not a TokenSet \(.*expiresAt/,
    ],
  ])(
    '%s: the request fails with StoreError parse (RC_STORE), no login, no secret, no crash',
    async (_, garbage, says) => {
      const secret = `SECRET-${randomBytes(8).toString('hex')}`;
      const raw = await rawClient(redis.url);
      await raw.set(keysOf(namespace, 'default').token, garbage(secret));
      raw.destroy();

      const rc = client(open(), { grant: passwordLogin(server) });
      const authErrors: RcError[] = [];
      rc.on('authError', (e) => authErrors.push(e));
      const error = (await rc
        .get(PATH)
        .json()
        .catch((e: unknown) => e)) as RcError;
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'RC_STORE', operation: 'parse' });
      expect(error.message).toMatch(says);
      expect(error.message).toMatch(/"default"/);
      for (const text of [
        error.message,
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        String(error.cause),
        ...authErrors.map((e) => inspect(e, { depth: 5 })),
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(server.stats.byGrant).toEqual({});
      // The 'authError' event tells listeners (monitoring, say) the same.
      expect(authErrors.map((e) => [e.code, (e as StoreError).operation])).toEqual([['RC_STORE', 'parse']]);

      // Reported, not fatal: overwriting the value lets the same client work.
      await rc.setToken(server.issueToken());
      await expect(rc.get(PATH).json()).resolves.toMatchObject({ name: 'Mock User' });
    },
  );
});
