import { isRcError, StoreError } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { describe, expect, it } from 'vitest';

const ACCESS = 'AT-U0pDMTFQMDFQQVMwMHxBQUJhY2Nlc3NTZWNyZXQxMjM0NTY3ODkw';
const REFRESH = 'RT-U0pDMTFQMDFQQVMwMHxBQUJyZWZyZXNoU2VjcmV0MTIzNDU2Nzg5';
const token = () => ({
  accessToken: ACCESS,
  tokenType: 'bearer',
  expiresAt: Date.now() + 60_000,
  refreshToken: REFRESH,
  refreshTokenExpiresAt: Date.now() + 600_000,
});

/** A keyv storage adapter whose every call fails, echoing its arguments as careless drivers do. */
function failingAdapter(): KeyvStoreAdapter {
  const fail =
    (op: string) =>
    async (...args: unknown[]) => {
      const error = new Error(
        `${op} failed: connect ECONNREFUSED 127.0.0.1:6379 (args ${JSON.stringify(args)})`,
      );
      Object.assign(error, { code: 'ECONNREFUSED' });
      throw error;
    };
  return {
    opts: {},
    get: fail('get'),
    set: fail('set'),
    delete: fail('delete'),
    clear: fail('clear'),
    on() {
      return this;
    },
  };
}

function expectSafeStoreError(error: unknown, operation: string) {
  expect(error).toBeInstanceOf(StoreError);
  expect(isRcError(error)).toBe(true);
  const e = error as StoreError;
  expect(e.code).toBe('RC_STORE');
  expect(e.operation).toBe(operation);
  const cause = e.cause as Error & { code?: string };
  expect(cause.code).toBe('ECONNREFUSED');
  expect(e.message).toContain('ECONNREFUSED');
  for (const text of [e.message, String(e), JSON.stringify(e), cause.message, String(cause.stack)]) {
    expect(text).not.toContain(ACCESS);
    expect(text).not.toContain(REFRESH);
    expect(text).not.toContain('U0pDMTFQMDFQQVMwMHxBQUJ');
  }
}

describe('memoryStore surfaces keyv backend failures as StoreError', () => {
  const store = () => memoryStore({ keyv: new Keyv(failingAdapter()) });

  // get: a failing backend is never read as "no token"; set: the token it tried to write is not in
  // the error.
  it.each([
    ['get', () => store().get('user-1')],
    ['set', () => store().set('user-1', token())],
    ['delete', () => store().delete('user-1')],
  ] as const)('%s', async (operation, call) => {
    expectSafeStoreError(await call().catch((e: unknown) => e), operation);
  });

  it('set: an adapter that reports a failed write (returns false) surfaces too', async () => {
    const map = new Map<string, unknown>();
    const adapter: KeyvStoreAdapter = {
      opts: {},
      get: async (k: string) => map.get(k) as never,
      set: async () => false,
      delete: async (k: string) => map.delete(k),
      clear: async () => map.clear(),
      on() {
        return this;
      },
    };
    const error = await memoryStore({ keyv: new Keyv(adapter) })
      .set('user-1', token())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).operation).toBe('set');
  });
});

describe('memoryStore refuses a corrupt stored value with StoreError (operation parse)', () => {
  const cases: Array<[string, unknown]> = [
    ['missing accessToken', { tokenType: 'bearer', expiresAt: Date.now() + 60_000, refreshToken: REFRESH }],
    ['missing expiresAt', { accessToken: ACCESS, tokenType: 'bearer' }],
    ['expiresAt of the wrong type', { accessToken: ACCESS, tokenType: 'bearer', expiresAt: '2030-01-01' }],
    ['refreshToken of the wrong type', { ...token(), refreshToken: 42 }],
    ['not an object', ACCESS],
    ['an array', [ACCESS]],
  ];

  it.each(cases)('%s', async (_label, value) => {
    const keyv = new Keyv();
    const store = memoryStore({ keyv, namespace: 'app' });
    // Written behind the store's back, where memoryStore keeps its entries.
    await keyv.set('rc:app:user-1', value);
    const error = await store.get('user-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).operation).toBe('parse');
    expect((error as Error).message).not.toContain(ACCESS);
    expect((error as Error).message).not.toContain(REFRESH);
  });

  it('an unreadable raw entry (not keyv JSON) is a parse StoreError that does not quote it', async () => {
    const map = new Map<string, unknown>();
    const keyv = new Keyv({ store: map });
    const store = memoryStore({ keyv, namespace: 'app' });
    map.set('keyv:rc:app:user-1', `{"value":{"accessToken":"${ACCESS}"`);
    const error = await store.get('user-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).operation).toBe('parse');
    expect((error as Error).message).not.toContain(ACCESS);
  });
});
