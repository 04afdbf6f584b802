import {
  ConfigError,
  checkTokenSet,
  StoreError,
  type TokenSet,
  type TokenStore,
  tokenStoreTtl,
} from '@rc/core';
import type { Keyv } from 'keyv';
import { Connection } from './connection.js';
import { type RedisStoreOptions, resolveOptions } from './options.js';
import { RedisLock } from './redis-lock.js';

/** A {@link TokenStore} on Redis, which holds a connection until {@link RedisTokenStore.close}. */
export interface RedisTokenStore extends TokenStore {
  /**
   * Closes the connection the store created (a `keyv` it was given is left open: its owner closes
   * it). Until then the open connection keeps the process alive. Calls after close reject with
   * StoreError. Idempotent.
   */
  close(): Promise<void>;
}

// Tokens are checked with core's checkTokenSet(), shared by set() (a bad argument: ConfigError) and
// get() (a corrupt value: StoreError 'parse'); its reasons name the field, never the value.
const tokenProblem = (value: unknown): string | undefined => {
  const checked = checkTokenSet(value);
  return checked.ok ? undefined : checked.problem;
};

/** The token entry as keyv stores it: `{ value, expires }` through the Keyv's serializer. */
async function encode(keyv: Keyv, token: TokenSet, expires: number | undefined): Promise<string> {
  const data = { value: token, expires };
  return keyv.serialize ? await keyv.serialize(data) : JSON.stringify(data);
}

async function decode(keyv: Keyv, name: string, raw: string): Promise<TokenSet | undefined> {
  let data: unknown;
  try {
    data = keyv.deserialize ? await keyv.deserialize(raw) : JSON.parse(raw);
  } catch {
    // No cause: JSON.parse's message quotes the start of the value, which may be a token.
    throw new StoreError(
      'parse',
      `The value stored under "${name}" is not JSON. Delete it or overwrite it with set(); no token was read.`,
    );
  }
  const entry = data as { value?: unknown; expires?: unknown } | null | undefined;
  const problem =
    typeof entry !== 'object' || entry === null || !('value' in entry)
      ? 'not a keyv entry { value, expires }'
      : tokenProblem(entry.value);
  if (problem) {
    throw new StoreError(
      'parse',
      `The value stored under "${name}" is not a TokenSet (${problem}). Delete it or overwrite it with set().`,
    );
  }
  // keyv's own rule: an entry past `expires` is gone, even if Redis has not dropped it yet.
  if (typeof entry?.expires === 'number' && entry.expires < Date.now()) return undefined;
  return entry?.value as TokenSet;
}

/**
 * A token store on Redis or Redis Cluster, for apps with several processes: they share tokens,
 * and `withLock` serialises their refreshes with a distributed lock, so a single-use refresh token
 * is spent once. Options are checked here and a bad one throws `ConfigError`; the connection is
 * opened on first use. Every failure surfaces as `StoreError` (never as "no token"), and every
 * call is bounded by `commandTimeoutMs`.
 *
 * @example
 * import { redisStore } from '@rc/store-redis';
 * const store = redisStore({ url: process.env.REDIS_URL, namespace: 'my-app' });
 * const rc = createClient({ server, clientId, clientSecret, store });
 * // ... on shutdown:
 * await store.close();
 */
export function redisStore(options: RedisStoreOptions = {}): RedisTokenStore {
  const resolved = resolveOptions(options);
  const conn = new Connection(resolved);
  const lock = new RedisLock(conn, resolved);

  return {
    async get(key) {
      const keys = conn.keys.of(key);
      const raw = await conn.run('get', keys.name, (c) => c.get(keys.token));
      return raw === null ? undefined : decode(conn.keyv, keys.name, raw);
    },

    async set(key, token) {
      const keys = conn.keys.of(key);
      const problem = tokenProblem(token);
      if (problem)
        throw new ConfigError(`redisStore: set("${keys.name}") needs a TokenSet (${problem})`, 'token');
      // PX is relative: the entry outlives the token by no more than the clock skew to Redis. An
      // already-expired token is not stored, and removes the old entry (the token it replaces).
      const now = Date.now();
      const left = tokenStoreTtl(token, now);
      if (left <= 0) return lock.write('set', keys, '', 0);
      const ttlMs = Number.isFinite(left) ? Math.max(1, Math.floor(left)) : 0;
      const value = await encode(conn.keyv, token, ttlMs ? now + left : undefined);
      await lock.write('set', keys, value, ttlMs);
    },

    async delete(key) {
      await lock.write('delete', conn.keys.of(key), '', 0);
    },

    async withLock(key, fn) {
      return lock.withLock(conn.keys.of(key), fn);
    },

    close: () => conn.close(),
  };
}
