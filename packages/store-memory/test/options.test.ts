import { ConfigError } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';

describe('memoryStore options', () => {
  it('works with no options, over a private in-memory Keyv', async () => {
    const a = memoryStore();
    const b = memoryStore();
    await a.set('k', { accessToken: 'x', tokenType: 'bearer', expiresAt: Date.now() + 60_000 });
    expect(await a.get('k')).toBeDefined();
    expect(await b.get('k')).toBeUndefined();
  });

  it('decides whether a token is alive on the clock it is given, not the wall clock', async () => {
    let t = Date.now();
    const store = memoryStore({ now: () => t });
    await store.set('k', { accessToken: 'x', tokenType: 'bearer', expiresAt: t + 60_000 });
    expect(await store.get('k')).toBeDefined();
    t += 61_000; // the client's clock moved past the token's life; the wall clock did not
    expect(await store.get('k')).toBeUndefined();
  });

  it.each([
    ['now', { now: 42 }],
    ['namespace', { namespace: '' }],
    ['namespace', { namespace: 42 }],
    ['namespace', { namespace: null }],
    ['keyv', { keyv: {} }],
    ['keyv', { keyv: new Map() }],
    ['keyv', { keyv: null }],
    ['keyv', { keyv: { get() {}, set() {}, delete() {} } }],
    ['options', null],
    ['namspace', { namspace: 'app' }],
    ['lockTtlMs', { lockTtlMs: 1000 }],
  ])('throws ConfigError naming %s for %o', (option, options) => {
    const call = () => memoryStore(options as never);
    expect(call).toThrow(ConfigError);
    try {
      call();
    } catch (error) {
      expect((error as ConfigError).option).toBe(option);
      expect((error as ConfigError).code).toBe('RC_CONFIG');
    }
  });

  it('turns on throwOnErrors on a Keyv it is given', () => {
    const keyv = new Keyv();
    expect(keyv.throwOnErrors).toBe(false);
    memoryStore({ keyv });
    expect(keyv.throwOnErrors).toBe(true);
  });

  it('refuses a malformed token on set with ConfigError, quoting no value', async () => {
    const store = memoryStore();
    const bad = { accessToken: 'secret-access-token-value', tokenType: 'bearer', expiresAt: 'soon' };
    const error = await store.set('k', bad as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('token');
    expect(String((error as Error).message)).toContain('expiresAt');
    expect(String((error as Error).message)).not.toContain('secret-access-token-value');
  });

  it('stores exactly the TokenSet fields (a stray property is not kept)', async () => {
    const store = memoryStore();
    const token = { accessToken: 'x', tokenType: 'bearer', expiresAt: Date.now() + 60_000 };
    await store.set('k', { ...token, password: 'hunter2' } as never);
    expect(await store.get('k')).toStrictEqual(token);
  });
});
