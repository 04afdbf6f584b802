import type { RedisClusterOptions } from '@keyv/redis';
import { ConfigError } from '@rc/core';
import { checkOptions } from '@rc/core/kit';
import type { Keyv } from 'keyv';

/**
 * Options of {@link redisStore}. Give at most one of `url`, `keyv` and `cluster`; with none, the
 * store connects to `redis://127.0.0.1:6379`.
 */
export interface RedisStoreOptions {
  /**
   * The Redis to connect to, `redis://[[user]:password@]host[:port][/db]` or `rediss://` for TLS.
   * The store creates the connection on first use and closes it in `close()`.
   * @default 'redis://127.0.0.1:6379'
   * @example redisStore({ url: process.env.REDIS_URL })
   */
  url?: string | undefined;
  /**
   * A Keyv over `@keyv/redis` whose connection the store should use (TLS options, Sentinel, a
   * shared client...). The store never closes a connection it was given: its owner does.
   * @example redisStore({ keyv: new Keyv(new KeyvRedis(client)) })
   */
  keyv?: Keyv | undefined;
  /**
   * A Redis Cluster: node-redis cluster options, at least `rootNodes`. Each session's keys share
   * one hash slot, so its Lua scripts run on one node.
   * @example redisStore({ cluster: { rootNodes: [{ url: 'redis://10.0.0.1:7000' }] } })
   */
  cluster?: RedisClusterOptions | undefined;
  /**
   * Prefix of every key (`<namespace>::{<session key>}`). Stores on the same Redis and namespace
   * share tokens and locks, as processes of one app should; use another namespace per app.
   * Must not contain `{` or `}` (they would change the Redis Cluster hash slot).
   * @default the given keyv's namespace, else 'rc:tokens'
   */
  namespace?: string | undefined;
  /**
   * How long a lock lives without a heartbeat, in ms (an integer from 100 to 3,600,000). A holder
   * renews it every third of this while its function runs, so a live holder keeps it however long
   * its (bounded) work takes, and a crashed or killed holder's lock runs out within this: the other
   * processes take over about 2 s after a holder dies. The client bounds what it does inside the
   * lock by its `tokenTimeoutMs` (plus a margin), so a hung token request does not hold it either.
   * @default 2000
   */
  lockTtlMs?: number | undefined;
  /**
   * How long `withLock` waits for a held lock before it rejects with `StoreError` (operation
   * `lock`), in ms (an integer from 0, one attempt, to 3,600,000). The default outlasts a live
   * holder's bounded work (the client's `tokenTimeoutMs`, 10 s, plus a margin) and a crashed
   * holder's `lockTtlMs`. A request waiting for the token still gives up at its own `timeout`.
   * @default Math.max(15000, lockTtlMs + 2000)
   */
  lockWaitMs?: number | undefined;
  /**
   * Deadline of every call to Redis (connecting included), in ms (an integer from 1 to 60,000). A
   * Redis that is down, frozen or unreachable fails the call with `StoreError` after this long
   * instead of hanging it. At most half of `lockTtlMs`, so a heartbeat sent a third of the way
   * into the lock's life lands before the lock could expire.
   * @default Math.min(1000, Math.floor(lockTtlMs / 3))
   */
  commandTimeoutMs?: number | undefined;
  /**
   * The clock, in epoch ms, that decides whether a stored token is still alive. Pass the client's
   * (`createClient({ now })`) when you give it one, so the store and the client agree.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

/** Where the connection comes from, and whether the store owns (and so closes) it. */
export type ConnectionSource =
  | { kind: 'url'; url: string }
  | { kind: 'cluster'; cluster: RedisClusterOptions }
  | { kind: 'keyv'; keyv: Keyv };

export interface ResolvedOptions {
  source: ConnectionSource;
  namespace: string | undefined;
  lockTtlMs: number;
  lockWaitMs: number;
  commandTimeoutMs: number;
  now: () => number;
}

export const DEFAULT_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_NAMESPACE = 'rc:tokens';
const KNOWN = ['url', 'keyv', 'cluster', 'namespace', 'lockTtlMs', 'lockWaitMs', 'commandTimeoutMs', 'now'];

const fail = (option: string, message: string): never => {
  throw new ConfigError(`redisStore: ${message}`, option);
};

function checkUrl(value: unknown, option: string): string {
  // The URL may hold a password: messages describe it, never repeat it.
  if (typeof value !== 'string' || value === '') return fail(option, `${option} must be a non-empty string`);
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return fail(option, `${option} is not a valid URL`);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    fail(option, `${option} must start with redis:// or rediss:// (got ${protocol}//)`);
  }
  return value;
}

function checkMs(value: unknown, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(
      option,
      `${option} must be an integer number of milliseconds from ${min} to ${max} (got ${String(value)})`,
    );
  }
  return value as number;
}

function checkCluster(value: unknown): RedisClusterOptions {
  const nodes = (value as { rootNodes?: unknown } | null)?.rootNodes;
  if (typeof value !== 'object' || value === null || !Array.isArray(nodes) || nodes.length === 0) {
    return fail('cluster.rootNodes', 'cluster must be an object with a non-empty rootNodes array of { url }');
  }
  nodes.forEach((node: unknown, i) => {
    const n = node as { url?: unknown; socket?: unknown } | null;
    if (typeof n !== 'object' || n === null || (n.url === undefined && n.socket === undefined)) {
      fail(`cluster.rootNodes[${i}]`, `cluster.rootNodes[${i}] must be an object with a url`);
    }
    if (n?.url !== undefined) checkUrl(n.url, `cluster.rootNodes[${i}].url`);
  });
  return value as RedisClusterOptions;
}

function checkKeyv(value: unknown): Keyv {
  // Duck-typed rather than `instanceof`: the user's keyv and @keyv/redis may be other copies.
  const adapter = (value as { store?: { client?: { connect?: unknown }; createKeyPrefix?: unknown } } | null)
    ?.store;
  if (typeof adapter?.createKeyPrefix !== 'function' || typeof adapter.client?.connect !== 'function') {
    fail('keyv', 'keyv must be a Keyv over @keyv/redis, e.g. new Keyv(new KeyvRedis(url))');
  }
  return value as Keyv;
}

/** `{` and `}` are refused by KeySpace (keys.ts), which also checks a given keyv's prefix. */
function checkNamespace(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') return fail(option, `${option} must be a non-empty string`);
  return value;
}

/** Checks every option at the call, so a mistake throws `ConfigError` now, not on the first request. */
export function resolveOptions(input: RedisStoreOptions | undefined): ResolvedOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null))
    fail('options', 'options must be an object');
  const options: Record<string, unknown> = { ...(input ?? {}) };
  checkOptions(options, KNOWN, 'redisStore()');
  const given = ['url', 'keyv', 'cluster'].filter((name) => options[name] !== undefined);
  if (given.length > 1)
    fail(given[1]!, `give only one of url, keyv and cluster (got ${given.join(' and ')})`);

  let source: ConnectionSource;
  if (options.keyv !== undefined) source = { kind: 'keyv', keyv: checkKeyv(options.keyv) };
  else if (options.cluster !== undefined)
    source = { kind: 'cluster', cluster: checkCluster(options.cluster) };
  else source = { kind: 'url', url: checkUrl(options.url ?? DEFAULT_URL, 'url') };

  const lockTtlMs = checkMs(options.lockTtlMs, 'lockTtlMs', 100, 3_600_000) ?? 2_000;
  const lockWaitMs =
    checkMs(options.lockWaitMs, 'lockWaitMs', 0, 3_600_000) ?? Math.max(15_000, lockTtlMs + 2_000);
  const commandTimeoutMs =
    checkMs(options.commandTimeoutMs, 'commandTimeoutMs', 1, 60_000) ??
    Math.min(1_000, Math.floor(lockTtlMs / 3));
  if (commandTimeoutMs * 2 > lockTtlMs) {
    fail(
      'commandTimeoutMs',
      `commandTimeoutMs (${commandTimeoutMs}) must be at most half of lockTtlMs (${lockTtlMs})`,
    );
  }
  const namespace = checkNamespace(options.namespace, 'namespace');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') fail('now', '`now` must be a function returning epoch ms');
  return { source, namespace, lockTtlMs, lockWaitMs, commandTimeoutMs, now: now as () => number };
}
