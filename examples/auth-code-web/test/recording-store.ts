import type { TokenSet, TokenStore } from '@rc/core';
import { memoryStore } from '@rc/store-memory';

/** A memory store that records what the app writes and deletes, for the tests to check. */
export function recordingStore() {
  const inner = memoryStore();
  const written: { key: string; token: TokenSet }[] = [];
  const deleted: string[] = [];
  const store: TokenStore = {
    get: (key) => inner.get(key),
    set: (key, token) => {
      written.push({ key, token });
      return inner.set(key, token);
    },
    delete: (key) => {
      deleted.push(key);
      return inner.delete(key);
    },
    // The token manager writes through the lock's lease (a fenced write): record those writes too.
    withLock: (key, fn) =>
      inner.withLock(key, (lease) =>
        fn({
          key: lease.key,
          signal: lease.signal,
          set: (token) => {
            written.push({ key, token });
            return lease.set(token);
          },
          delete: () => {
            deleted.push(key);
            return lease.delete();
          },
        }),
      ),
  };
  return { store, written, deleted };
}
