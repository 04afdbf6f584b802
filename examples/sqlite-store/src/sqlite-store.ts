// `sqliteStore()`: a TokenStore over keyv with the SQLite adapter beside this file, sharing tokens
// and locks with every process that opens the same file. Core's helpers carry the rules every store
// must keep: tokenWrite/tokenRead (what to write, for how long, what to give back), corruptToken
// (a value that is not a token is an error, never "no token"), safeCause and StoreError (a failure
// is reported, with no secret in it), checkOptions (a misspelt option fails at the call).
import { ConfigError, type Lease, StoreError, type TokenSet, type TokenStore } from '@rc/core';
import { checkOptions, corruptToken, leaseEnded, safeCause, tokenRead, tokenWrite } from '@rc/core/kit';
import { Keyv } from 'keyv';
import { DatabaseSync } from './node-sqlite.js';
import { SqliteKeyvAdapter } from './sqlite-adapter.js';
import { type Held, SqliteLock } from './sqlite-lock.js';

export interface SqliteStoreOptions {
  /** The SQLite file (created when missing). Every process opening it shares tokens and locks. */
  path: string;
  /** Keeps this store's tokens and locks apart from others in the same file. @default 'tokens' */
  namespace?: string | undefined;
  /**
   * How long a lock lasts if its holder dies without releasing it, in ms. A live holder renews it
   * every third of this; one paused for longer loses it (its lease ends, its writes are refused).
   * @default 30_000
   */
  lockTtlMs?: number | undefined;
  /** How long `withLock` waits for a lock held elsewhere before a `StoreError`, in ms. @default 60_000 */
  lockWaitMs?: number | undefined;
  /** The clock, in epoch ms, deciding whether a stored token is alive. @default Date.now */
  now?: (() => number) | undefined;
}

/** A TokenStore holding a database connection: call `close()` when done with it. */
export interface SqliteStore extends TokenStore {
  close(): Promise<void>;
}

const KNOWN = ['path', 'namespace', 'lockTtlMs', 'lockWaitMs', 'now'];
const STORE = 'the SQLite store';
const VERB = { get: 'read', set: 'write', delete: 'delete', open: 'open' } as const;

function failure(
  operation: keyof typeof VERB,
  key: string,
  error: unknown,
  secrets: Array<string | undefined> = [],
) {
  const cause = safeCause(error, secrets);
  return new StoreError(
    operation,
    `Could not ${VERB[operation]} the token for "${key}" in ${STORE}: ${cause.name}: ${cause.message}.`,
    { cause },
  );
}

const positive = (value: unknown, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`sqliteStore(): \`${name}\` must be a positive number of ms`, name);
  }
  return value;
};

/**
 * A token store in a SQLite file, with a lock that holds across the processes sharing the file.
 * @example
 * const store = sqliteStore({ path: '/var/lib/my-app/tokens.db' });
 * const rc = createClient({ server, clientId, clientSecret, store, grant: jwtGrant({ jwt }) });
 * // ... at shutdown:
 * await store.close();
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  checkOptions(options, KNOWN, 'sqliteStore()');
  const { path, namespace = 'tokens', now = Date.now } = options;
  if (typeof path !== 'string' || path === '') {
    throw new ConfigError('sqliteStore(): `path` must be the SQLite file to use', 'path');
  }
  if (typeof namespace !== 'string' || namespace === '') {
    throw new ConfigError('sqliteStore(): `namespace` must be a non-empty string', 'namespace');
  }
  const lockTtlMs = positive(options.lockTtlMs, 'lockTtlMs', 30_000);
  const lockWaitMs = positive(options.lockWaitMs, 'lockWaitMs', 60_000);

  let db: InstanceType<typeof DatabaseSync>;
  try {
    db = new DatabaseSync(path);
    // WAL: readers do not wait for writers; busy_timeout: a writer waits up to 5 s for another
    // process's write instead of failing at once with SQLITE_BUSY.
    // busy_timeout first: switching to WAL takes a lock too, and must wait for it rather than fail.
    db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;');
  } catch (error) {
    throw failure('open', path, error);
  }
  // throwOnErrors: keyv would otherwise read a failing backend as "missing", i.e. "no token".
  // useKeyPrefix false: our entry keys are namespaced already (below), and a lease writes an entry
  // without keyv (inside the lock's transaction), so both must name it the same way.
  const adapter = new SqliteKeyvAdapter(db, 'rc_tokens');
  const keyv = new Keyv({ store: adapter, throwOnErrors: true, useKeyPrefix: false });
  const lock = new SqliteLock(db, { ttlMs: lockTtlMs, waitMs: lockWaitMs });
  // A fixed first segment, then the encoded namespace: no two (namespace, key) pairs share an entry.
  const entry = (key: string) => `rc:${encodeURIComponent(namespace)}:${key}`;
  let open = true;

  /**
   * The lease of a held lock: each write is serialized first (keyv's own serializer, as keyv.set
   * would), then checked and written in one transaction (`held.fenced`): refused, writing
   * nothing, once the lock is no longer this holder's.
   */
  const leaseOf = (key: string, held: Held): Lease => {
    const fenced = (operation: 'set' | 'delete', write: () => void, secrets: Array<string | undefined>) => {
      let written: boolean;
      try {
        written = held.fenced(write);
      } catch (error) {
        throw failure(operation, key, error, secrets);
      }
      if (!written) throw leaseEnded(operation, STORE, key, 'was lost (it outlived lockTtlMs, or ended)');
    };
    return {
      key,
      signal: held.signal,
      async set(token: TokenSet) {
        const write = tokenWrite(token, now(), STORE, key);
        if (write.expired) return fenced('set', () => adapter.deleteNow(entry(key)), []);
        const expires = write.ttlMs === undefined ? undefined : Date.now() + write.ttlMs;
        const data = { value: write.token, expires };
        const value = (await keyv.serialize?.(data)) ?? JSON.stringify(data);
        const secrets = [write.token.accessToken, write.token.refreshToken];
        fenced('set', () => adapter.setNow(entry(key), value, write.ttlMs), secrets);
      },
      async delete() {
        fenced('delete', () => adapter.deleteNow(entry(key)), []);
      },
    };
  };

  return {
    async get(key) {
      let raw: unknown;
      try {
        raw = await keyv.getRaw(entry(key));
      } catch (error) {
        if (error instanceof SyntaxError) throw corruptToken(STORE, key, 'it could not be deserialized');
        throw failure('get', key, error);
      }
      if (raw === undefined || raw === null) return undefined;
      return tokenRead(typeof raw === 'object' && 'value' in raw ? raw.value : raw, now(), STORE, key);
    },

    async set(key, token) {
      const write = tokenWrite(token, now(), STORE, key);
      try {
        if (write.expired) await keyv.delete(entry(key));
        else await keyv.set(entry(key), write.token, write.ttlMs);
      } catch (error) {
        throw failure('set', key, error, [write.token.accessToken, write.token.refreshToken]);
      }
    },

    async delete(key) {
      try {
        await keyv.delete(entry(key));
      } catch (error) {
        throw failure('delete', key, error);
      }
    },

    withLock(key, fn) {
      return lock.run(entry(key), (held) => fn(leaseOf(key, held)));
    },

    async close() {
      if (open) db.close();
      open = false;
    },
  };
}
