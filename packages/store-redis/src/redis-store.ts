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

/** The token entry as keyv stores it: `{ value, expires }` through the Keyv's serializer. */
async function encode(keyv: Keyv, token: TokenSet, expires: number | undefined): Promise<string> {
  const data = { value: token, expires };
  return keyv.serialize ? await keyv.serialize(data) : JSON.stringify(data);
}

const notATokenSet = (name: string, problem: string) =>
  new StoreError(
    'parse',
    `The value stored under "${name}" is not a TokenSet (${problem}). Delete it or overwrite it with set().`,
  );

/**
 * The token in a stored entry, checked with core's checkTokenSet() (its reasons name the field,
 * never the value) and copied field by field: a stray property or a `null` optional field in Redis
 * does not travel on. `undefined` when the entry or the token's lifetime is over.
 */
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
  if (typeof data !== 'object' || data === null || !('value' in data)) {
    throw notATokenSet(name, 'not a keyv entry { value, expires }');
  }
  const checked = checkTokenSet(data.value);
  if (!checked.ok) throw notATokenSet(name, checked.problem);
  const expires = (data as { expires?: unknown }).expires;
  const now = Date.now();
  // keyv's own rule: an entry past `expires` is gone, even if Redis has not dropped it yet. And, as
  // in every store, a token whose lifetime is over is no token (an entry written by other code may
  // have no expiry at all).
  if (typeof expires === 'number' && expires < now) return undefined;
  return tokenStoreTtl(checked.token, now) > 0 ? checked.token : undefined;
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
      const checked = checkTokenSet(token);
      if (!checked.ok) {
        throw new ConfigError(
          `redisStore: set("${keys.name}") needs a TokenSet (${checked.problem})`,
          'token',
        );
      }
      // The checked copy, not the argument: only TokenSet fields reach Redis (a caller's object may
      // carry anything, a password included).
      const clean = checked.token;
      // PX is relative: the entry outlives the token by no more than the clock skew to Redis. An
      // already-expired token is not stored, and removes the old entry (the token it replaces).
      const now = Date.now();
      const left = tokenStoreTtl(clean, now);
      if (left <= 0) return lock.write('set', keys, '', 0);
      const ttlMs = Number.isFinite(left) ? Math.max(1, Math.floor(left)) : 0;
      const value = await encode(conn.keyv, clean, ttlMs ? now + left : undefined);
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
