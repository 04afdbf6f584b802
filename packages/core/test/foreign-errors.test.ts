// Issue 18 item 9 (store and grant part): what a user's store or grant throws reaches the caller as
// an RcError, scrubbed by value of the tokens the client knows. Failed before the fix: a grant's
// TypeError and a withLock's own Error passed through raw (not RcErrors), and a store error quoting
// the token kept it in its cause (safeCause was not given the tokens).
import { inspect } from 'node:util';
import { type Grant, isRcError, OAuthError, StoreError, type TokenSet, type TokenStore } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, EXT, mockServer, testLock } from './fixtures.js';

// Short on purpose: the generic scrubber catches long token-like runs by their shape; these only by value.
const ACCESS = 'at-Kq7w2';
const REFRESH = 'rt-Zx9p4';
const token = (): TokenSet => ({
  accessToken: ACCESS,
  tokenType: 'bearer',
  expiresAt: Date.now() + 3_600_000,
  refreshToken: REFRESH,
  refreshTokenExpiresAt: Date.now() + 86_400_000,
});

/** Every rendering of an error a user may log. */
const renderings = (error: unknown) => {
  const e = error as Error & { cause?: unknown };
  const cause = e.cause as Error | undefined;
  return [
    e.message,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: 5 }),
    cause?.message,
    String(cause?.stack),
  ].join('\n');
};

function mapStore(): TokenStore {
  const slots = new Map<string, TokenSet>();
  const store: TokenStore = {
    get: async (k) => slots.get(k),
    set: async (k, t) => void slots.set(k, t),
    delete: async (k) => void slots.delete(k),
    withLock: (k, fn) => lock(k, fn),
  };
  const lock = testLock(store);
  return store;
}

describe('errors from a user grant', () => {
  it('a grant that throws a TypeError rejects authorize() with an OAuthError grant_failed, no token in it', async () => {
    const server = await mockServer();
    const rc = client(server, { store: mapStore(), retry: 0 });
    await rc.setToken(token());
    const buggy: Grant = {
      name: 'buggy',
      requestToken: async () => {
        throw new TypeError(`cannot read properties of undefined (reading '${ACCESS}', '${REFRESH}')`);
      },
    };
    const error = await rc.authorize(buggy).catch((e: unknown) => e);
    expect(isRcError(error)).toBe(true);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'RC_OAUTH', error: 'grant_failed' });
    expect((error as Error).message).toMatch(/"buggy" grant threw TypeError/);
    const text = renderings(error);
    expect(text).not.toContain(ACCESS);
    expect(text).not.toContain(REFRESH);
  });

  it('an unattended grant that throws a plain Error fails the request with an RcError', async () => {
    const server = await mockServer();
    const failing: Grant = {
      name: 'vault',
      unattended: true,
      requestToken: async () => {
        throw new Error('the vault is sealed');
      },
    };
    const rc = client(server, { store: mapStore(), grant: failing, retry: 0 });
    const error = await rc.get(EXT).catch((e: unknown) => e);
    expect(isRcError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'RC_OAUTH', error: 'grant_failed' });
    expect(((error as Error).cause as Error).message).toBe('the vault is sealed');
  });
});

describe('errors from a user store', () => {
  it("a withLock that fails on its own (not fn's error) is a StoreError lock, no token in it", async () => {
    const server = await mockServer();
    const store = mapStore();
    const rc = client(server, { store, retry: 0 });
    await rc.setToken(token());
    store.withLock = async () => {
      throw new Error(`lock service refused session holding ${ACCESS}`);
    };
    const error = await rc.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'RC_STORE', operation: 'lock' });
    expect(renderings(error)).not.toContain(ACCESS);
  });

  it('a set that fails quoting the token it was given keeps no token in the cause', async () => {
    const server = await mockServer();
    const store = mapStore();
    store.set = async (_k, t) => {
      throw new Error(
        `write failed for {"accessToken":"${t.accessToken}","refreshToken":"${t.refreshToken}"}`,
      );
    };
    const rc = client(server, { store, retry: 0 });
    const error = await rc.setToken(token()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ operation: 'set' });
    const text = renderings(error);
    expect(text).not.toContain(ACCESS);
    expect(text).not.toContain(REFRESH);
  });

  it('a get that fails quoting the token held keeps no token in the cause', async () => {
    const server = await mockServer();
    const store = mapStore();
    const rc = client(server, { store, retry: 0 });
    await rc.setToken(token());
    store.get = async () => {
      throw new Error(`read timed out; last value ${ACCESS} / ${REFRESH}`);
    };
    const error = await rc.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    const text = renderings(error);
    expect(text).not.toContain(ACCESS);
    expect(text).not.toContain(REFRESH);
  });
});
