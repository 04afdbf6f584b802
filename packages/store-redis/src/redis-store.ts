import { ConfigError, StoreError, type TokenSet, type TokenStore } from '@rc/core';
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

// Field checks, shared by set() (a bad argument: ConfigError) and get() (a corrupt value:
// StoreError 'parse'). Reasons name the field, never its value: values are secrets.
const STRING_FIELDS = ['refreshToken', 'scope', 'ownerId', 'endpointId'] as const;

function tokenProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const t = value as Record<string, unknown>;
  if (typeof t.accessToken !== 'string' || t.accessToken === '')
    return 'accessToken is not a non-empty string';
  if (typeof t.tokenType !== 'string') return 'tokenType is not a string';
  if (typeof t.expiresAt !== 'number' || !Number.isFinite(t.expiresAt)) return 'expiresAt is not a number';
  if (t.refreshTokenExpiresAt !== undefined && !Number.isFinite(t.refreshTokenExpiresAt)) {
    return 'refreshTokenExpiresAt is not a number';
  }
  for (const field of STRING_FIELDS) {
    if (t[field] !== undefined && typeof t[field] !== 'string') return `${field} is not a string`;
  }
  return undefined;
}

/**
 * How long the entry is useful, in ms: until the refresh token expires (a dead access token can
 * still be refreshed), or the access token when there is no refresh token. A refresh token with no
 * known expiry is kept without one (Infinity), as @rc/store-memory does: dropping it with the
 * access token would force a needless login.
 */
function lifetimeLeft(token: TokenSet, now: number): number {
  if (token.refreshToken === undefined) return token.expiresAt - now;
  return token.refreshTokenExpiresAt === undefined
    ? Number.POSITIVE_INFINITY
    : token.refreshTokenExpiresAt - now;
}

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
      const left = lifetimeLeft(token, now);
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
