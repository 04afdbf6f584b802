import type { TokenSet, TokenStore } from '../types.js';
import { KeyLock } from '../util/key-lock.js';
import { runWithLocalLease } from '../util/local-lease.js';
import { tokenStoreTtl } from './check.js';

/**
 * The default store: a private in-process slot per key, with a per-key lock. Enough for one process
 * and one client; use `@rc/store-memory` to share one keyv among clients, or `@rc/store-redis`
 * to share tokens among processes.
 */
export function privateStore(now: () => number = Date.now): TokenStore {
  const slots = new Map<string, TokenSet>();
  const locks = new KeyLock();
  const store: TokenStore = {
    async get(key) {
      const token = slots.get(key);
      if (token && tokenStoreTtl(token, now()) <= 0) {
        slots.delete(key);
        return undefined;
      }
      return token && { ...token };
    },
    async set(key, token) {
      slots.set(key, { ...token });
    },
    async delete(key) {
      slots.delete(key);
    },
    withLock: (key, fn) =>
      runWithLocalLease(
        {
          locks,
          lockId: key,
          key,
          store: 'the default store',
          writes: { set: (token) => store.set(key, token), delete: () => store.delete(key) },
        },
        fn,
      ),
  };
  return store;
}
