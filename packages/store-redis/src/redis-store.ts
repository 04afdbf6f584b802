import { StoreError, type TokenSet, type TokenStore } from '@rc/core';
import { corruptToken, tokenRead, tokenWrite } from '@rc/core/kit';
import type { Keyv } from 'keyv';
import { type RedisBudget, redisBudget } from './budget.js';
import { Connection } from './connection.js';
import { type RedisStoreOptions, resolveOptions } from './options.js';
import { redisPenalties } from './penalties.js';
import { RedisLock } from './redis-lock.js';
import { redisState } from './redis-state.js';

/** A {@link TokenStore} on Redis, which holds a connection until {@link RedisTokenStore.close}. */
// Required<>: the optional StateStore methods of TokenStore are all implemented here.
export interface RedisTokenStore extends Required<TokenStore> {
  /** The shared rate-limit budget; `budget.calls` counts its round-trips to Redis. */
  readonly budget: RedisBudget;
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

const STORE = 'the Redis store';

/**
 * The token in a stored entry, checked with core's checkTokenSet() (its reasons name the field,
 * never the value) and copied field by field: a stray property or a `null` optional field in Redis
 * does not travel on. `undefined` when the entry or the token's lifetime is over.
 */
async function decode(keyv: Keyv, name: string, raw: string, now: number): Promise<TokenSet | undefined> {
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
    throw corruptToken(STORE, name, 'not a keyv entry { value, expires }');
  }
  const token = tokenRead(data.value, now, STORE, name);
  // keyv's own rule: an entry past `expires` is gone, even if Redis has not dropped it yet.
  const expires = (data as { expires?: unknown }).expires;
  return typeof expires === 'number' && expires < now ? undefined : token;
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
  const penalties = redisPenalties(conn);
  // What set() writes. PX is relative: the entry outlives the token by no more than the clock skew
  // to Redis. An already-expired token is not stored, and removes the old entry (value '').
  const prepare = async (name: string, token: TokenSet) => {
    const now = resolved.now();
    const write = tokenWrite(token, now, STORE, name);
    if (write.expired) return { value: '', ttlMs: 0 };
    return {
      value: await encode(conn.keyv, write.token, write.ttlMs && now + write.ttlMs),
      ttlMs: write.ttlMs ?? 0,
    };
  };

  return {
    // State records and leases (core's optional StateStore), for @rc/subscriptions.
    ...redisState(conn),

    async get(key) {
      const keys = conn.keys.of(key);
      const raw = await conn.run('get', keys.name, (c) => c.get(keys.token));
      return raw === null ? undefined : decode(conn.keyv, keys.name, raw, resolved.now());
    },

    async set(key, token) {
      const keys = conn.keys.of(key);
      const { value, ttlMs } = await prepare(keys.name, token);
      await lock.write('set', keys, value, ttlMs);
    },

    async delete(key) {
      await lock.write('delete', conn.keys.of(key), '', 0);
    },

    async withLock(key, fn) {
      const keys = conn.keys.of(key);
      return lock.withLock(keys, fn, (token) => prepare(keys.name, token));
    },

    // Rate-limit penalties shared by every process on the store (pub/sub and one hash key).
    penalties,
    // The rate-limit budget shared by every process on the store (one script call per slice).
    budget: redisBudget(conn),

    close: async () => {
      await penalties.close();
      await conn.close();
    },
  };
}
