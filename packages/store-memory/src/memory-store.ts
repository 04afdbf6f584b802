import { ConfigError, type StateStore, type TokenSet, type TokenStore } from '@rc/core';
import { checkOptions, corruptToken, KeyLock, runWithLocalLease, tokenRead, tokenWrite } from '@rc/core/kit';
import { Keyv } from 'keyv';
import { budgetFor } from './budget.js';
import { penaltiesFor } from './penalties.js';
import { memoryState } from './state.js';
import { storeFailure } from './store-errors.js';

/** Options of {@link memoryStore}, checked at the call. */
export interface MemoryStoreOptions {
  /**
   * Keeps this store's tokens and locks apart from other stores on the same `keyv` instance. Stores
   * with the same `keyv` and `namespace` share tokens and locks (e.g. several clients in one process).
   * @default 'tokens'
   */
  namespace?: string | undefined;
  /**
   * The keyv 5.6+ instance to keep tokens in, with any keyv storage adapter. Default: a private
   * `new Keyv()` over an in-process `Map`, so tokens live as long as the store object.
   *
   * The store sets `throwOnErrors = true` on the instance: by default keyv swallows backend errors
   * and reads them as "missing", which would look like "no token" and start needless logins.
   * @example
   * memoryStore({ keyv: new Keyv({ store: new QuickLRU({ maxSize: 1000 }) }) })
   */
  keyv?: Keyv | undefined;
  /**
   * The clock, in epoch ms, that decides whether a stored token is still alive. Pass the client's
   * (`createClient({ now })`) when you give it one, so the store and the client agree.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

const DEFAULT_NAMESPACE = 'tokens';
const KNOWN_OPTIONS = ['namespace', 'keyv', 'now'];
const STORE = 'the memory store';

// Every entry key starts with this fixed segment. keyv skips its own namespace prefix for a key that
// already starts with `<its namespace>:`; were our first segment the (variable) namespace, a keyv
// namespace equal to one of ours would prefix some keys and not others, letting two keys collide.
const KEY_PREFIX = 'rc';

/**
 * A {@link TokenStore} over keyv: by default in process memory, or in any backend through the `keyv`
 * instance you pass. Entries expire with the refresh token (or the access token when there is none);
 * every backend failure surfaces as `StoreError`; `withLock` serialises callers per key within this
 * process (stores sharing one `keyv` instance and namespace share the locks), and so do rate-limit
 * penalties (`penalties`): a 429 met by one client holds every client on the store. It also keeps
 * the optional state records and leases of core's `StateStore` (for `@rc/subscriptions`). For
 * locks and penalties across processes use `@rc/store-redis`.
 *
 * @throws {ConfigError} at the call, when an option is invalid.
 * @example
 * import { createClient } from '@rc/core';
 * import { memoryStore } from '@rc/store-memory';
 *
 * const rc = createClient({ server, clientId, store: memoryStore({ namespace: 'my-app' }) });
 */
export function memoryStore(options: MemoryStoreOptions = {}): TokenStore & StateStore {
  // A misspelt option (or one of redisStore's) would otherwise be ignored without a word.
  checkOptions(options, KNOWN_OPTIONS, 'memoryStore()');
  const namespace: unknown = options.namespace === undefined ? DEFAULT_NAMESPACE : options.namespace;
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new ConfigError('memoryStore: `namespace` must be a non-empty string', 'namespace');
  }
  const keyv: unknown = options.keyv === undefined ? new Keyv({ throwOnErrors: true }) : options.keyv;
  if (!isKeyvLike(keyv)) {
    throw new ConfigError(
      'memoryStore: `keyv` must be a Keyv 5.6+ instance, e.g. `new Keyv(adapter)`',
      'keyv',
    );
  }
  keyv.throwOnErrors = true;
  const now = options.now ?? Date.now;
  if (typeof now !== 'function')
    throw new ConfigError('memoryStore(): `now` must be a function returning epoch ms', 'now');

  const locks = locksFor(keyv);
  // encodeURIComponent keeps ':' out of the namespace, so `rc:<namespace>:<key>` splits one way only.
  const prefix = `${KEY_PREFIX}:${encodeURIComponent(namespace)}:`;
  const entryKey = (key: unknown, method: string) => {
    if (typeof key !== 'string')
      throw new ConfigError(`memoryStore.${method}: \`key\` must be a string`, 'key');
    return prefix + key;
  };

  const store: TokenStore & StateStore = {
    ...memoryState(keyv, locks, namespace),

    async get(key) {
      const id = entryKey(key, 'get');
      let raw: unknown;
      try {
        // getRaw, not get: get returns `.value` of whatever it finds, so a malformed entry would
        // read as undefined ("no token"); the raw envelope lets us tell "absent" from "corrupt".
        raw = await keyv.getRaw(id);
      } catch (error) {
        // keyv's deserializer failed: the entry is corrupt, not the backend unreachable.
        if (error instanceof SyntaxError) throw corruptToken(STORE, key, 'it could not be deserialized');
        throw storeFailure('get', key, error);
      }
      if (raw === undefined || raw === null) return undefined;
      const value = typeof raw === 'object' && 'value' in raw ? raw.value : raw;
      return tokenRead(value, now(), STORE, key);
    },

    async set(key, token) {
      const id = entryKey(key, 'set');
      const write = tokenWrite(token, now(), STORE, key);
      try {
        if (write.expired) {
          // Already dead: storing it would only be read back as "no token". Deleting also drops the
          // token it replaces, as any write of a new token would.
          await keyv.delete(id);
          return;
        }
        const written = await keyv.set(id, write.token, write.ttlMs);
        if (written === false) throw new Error('the keyv store adapter reported that the write failed');
      } catch (error) {
        throw storeFailure('set', key, error, [write.token.accessToken, write.token.refreshToken]);
      }
    },

    async delete(key) {
      const id = entryKey(key, 'delete');
      try {
        // `false` means "there was nothing to delete", which is fine.
        await keyv.delete(id);
      } catch (error) {
        throw storeFailure('delete', key, error);
      }
    },

    // Clients on stores over one keyv and namespace hold each other's rate-limit penalties.
    penalties: penaltiesFor(keyv, namespace, now),
    // ...and one rate-limit budget per group.
    budget: budgetFor(keyv, namespace, now),

    // async, so that a bad argument rejects like every other failure instead of throwing. The
    // lease (core's in-process one) refuses writes once fn has settled: the lock's generation is over.
    async withLock(key, fn) {
      const id = entryKey(key, 'withLock');
      if (typeof fn !== 'function')
        throw new ConfigError('memoryStore.withLock: `fn` must be a function', 'fn');
      const writes = { set: (token: TokenSet) => store.set(key, token), delete: () => store.delete(key) };
      return runWithLocalLease({ locks, lockId: id, key, store: STORE, writes }, fn);
    },
  };
  return store;
}

function isKeyvLike(value: unknown): value is Keyv {
  if (typeof value !== 'object' || value === null) return false;
  const k = value as Record<string, unknown>;
  return (
    typeof k.get === 'function' &&
    typeof k.getRaw === 'function' &&
    typeof k.set === 'function' &&
    typeof k.delete === 'function' &&
    'throwOnErrors' in k
  );
}

// Locks are found through a WeakMap keyed by the object whose data they protect (the Keyv
// instance): every store built over that instance shares them, as every store sharing one backend
// must, and they go away with the instance.
const registry = new WeakMap<object, KeyLock>();

/** The locks shared by everyone using `owner` (a Keyv instance). Exported for the tests only. */
export function locksFor(owner: object): KeyLock {
  let locks = registry.get(owner);
  if (!locks) {
    locks = new KeyLock();
    registry.set(owner, locks);
  }
  return locks;
}
