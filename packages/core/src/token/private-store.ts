import type { TokenSet, TokenStore } from '../types.js';
import { tokenStoreTtl } from './check.js';

/**
 * The default store: a private in-process slot per key, with a per-key lock. Enough for one process
 * and one client; use `@rc/store-memory` to share one keyv among clients, or `@rc/store-redis`
 * to share tokens among processes.
 */
export function privateStore(now: () => number = Date.now): TokenStore {
  const slots = new Map<string, TokenSet>();
  const tails = new Map<string, Promise<unknown>>();
  return {
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
    withLock(key, fn) {
      // A promise chain per key: each holder starts when the previous one settles.
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return run;
    },
  };
}
