import KeyvRedis, { createKeyv } from '@keyv/redis';
import { StoreError } from '@rc/core';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.js';
import { keysOf, monitor, redisUrl, sleep, token, useSharedRedis } from './helpers.js';

// What the store writes to Redis, how it reads it back, and what it refuses to read.

const shared = useSharedRedis('data');
const { namespace, open } = shared;

describe('stored data', () => {
  it('writes a keyv entry with a PX expiry at the refresh token expiry, and a version', async () => {
    const store = open();
    const t = token({ refreshTokenExpiresAt: Date.now() + 60_000 });
    await store.set('layout', t);
    const keys = keysOf(namespace, 'layout');
    const pttl = await shared.raw.pTTL(keys.token);
    expect(pttl).toBeGreaterThan(58_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    expect(JSON.parse((await shared.raw.get(keys.token))!)).toEqual({
      value: t,
      expires: t.refreshTokenExpiresAt,
    });
    expect(Number(await shared.raw.get(keys.version))).toBeGreaterThan(0);
    // Without a refresh token the entry lives as long as the access token.
    await store.set('layout', token({ refreshToken: undefined, expiresAt: Date.now() + 30_000 }));
    expect(await shared.raw.pTTL(keys.token)).toBeLessThanOrEqual(30_000);
    // A refresh token of unknown lifetime is kept with no expiry (as @rc/store-memory does).
    await store.set('layout', token({ refreshTokenExpiresAt: undefined }));
    expect(await shared.raw.pTTL(keys.token)).toBe(-1);
  });

  it('writes and reads back only TokenSet fields (no stray property, no null field)', async () => {
    const store = open();
    const t = token();
    const keys = keysOf(namespace, 'fields');
    // A caller's object may carry anything: it never reaches Redis.
    await store.set('fields', { ...t, password: 'hunter2' } as typeof t);
    expect(await shared.raw.get(keys.token)).not.toContain('hunter2');
    expect(await store.get('fields')).toStrictEqual(t);
    // Written by other code: `null` stands for a missing optional field, and extras are dropped.
    await shared.raw.set(
      keys.token,
      JSON.stringify({ value: { ...t, scope: null, extra: 'x' }, expires: null }),
    );
    expect(await store.get('fields')).toStrictEqual(t);
  });

  it('does not return a token whose lifetime is over, even from an entry without expiry', async () => {
    const store = open();
    const now = Date.now();
    const dead = token({ expiresAt: now - 2_000, refreshTokenExpiresAt: now - 1_000 });
    await shared.raw.set(keysOf(namespace, 'over').token, JSON.stringify({ value: dead }));
    expect(await store.get('over')).toBeUndefined();
  });

  it('is readable with keyv itself (createKeyv on the same namespace, key "{session}")', async () => {
    const store = open();
    const t = token();
    await store.set('keyv-compat', t);
    const keyv = createKeyv(redisUrl(), { namespace });
    expect(await keyv.get('{keyv-compat}')).toEqual(t);
    await keyv.disconnect();
  });

  it('uses a given keyv connection and its namespace, and leaves that connection open on close()', async () => {
    const adapter = new KeyvRedis(redisUrl(), { namespace });
    const keyv = new Keyv(adapter, { namespace, useKeyPrefix: false });
    const store = redisStore({ keyv });
    const t = token();
    await store.set('given', t);
    expect(await shared.raw.exists(keysOf(namespace, 'given').token)).toBe(1);
    await store.close();
    expect(adapter.client.isOpen).toBe(true);
    await expect(store.get('given')).rejects.toBeInstanceOf(StoreError);
    await adapter.disconnect();
  });

  it('a value that is not JSON fails get() with StoreError "parse", without the value', async () => {
    const store = open();
    const secret = 'at-SECRET-not-json';
    await shared.raw.set(keysOf(namespace, 'corrupt').token, secret);
    const error = await store.get('corrupt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'parse', code: 'RC_STORE' });
    expect(JSON.stringify([String(error), (error as Error).cause, (error as Error).stack])).not.toContain(
      'SECRET',
    );
  });

  it.each([
    ['a bare TokenSet', JSON.stringify(token())],
    [
      'an entry without accessToken',
      JSON.stringify({ value: { tokenType: 'bearer', expiresAt: 1 }, expires: null }),
    ],
    ['an entry with a string expiresAt', JSON.stringify({ value: { ...token(), expiresAt: 'soon' } })],
    ['a JSON number', '42'],
  ])('%s fails get() with StoreError "parse"', async (_name, value) => {
    const store = open();
    await shared.raw.set(keysOf(namespace, 'corrupt-json').token, value);
    await expect(store.get('corrupt-json')).rejects.toMatchObject({ name: 'StoreError', operation: 'parse' });
  });

  it('a session key with braces and percent signs keeps its keys distinct and in one hash slot', async () => {
    const store = open();
    const a = token();
    const b = token();
    await store.set('}{', a);
    await store.set('%7D%7B', b);
    expect(await store.get('}{')).toEqual(a);
    expect(await store.get('%7D%7B')).toEqual(b);
  });

  it('sends no command while idle: no polling, no heartbeat after withLock', async () => {
    const store = open({ lockTtlMs: 300 });
    await store.set('idle', token());
    await store.withLock('idle', async () => store.get('idle'));
    const watch = await monitor(`${namespace}::`);
    await sleep(700);
    watch.stop();
    expect(watch.lines).toEqual([]);
  });

  it('rejects every call after close() with StoreError, and close() is idempotent', async () => {
    const store = open();
    await store.get('x');
    await store.close();
    await store.close();
    await expect(store.get('x')).rejects.toMatchObject({ operation: 'get', message: /closed/ });
    await expect(store.set('x', token())).rejects.toMatchObject({ operation: 'set' });
    await expect(store.withLock('x', async () => 1)).rejects.toMatchObject({ operation: 'lock' });
  });
});
