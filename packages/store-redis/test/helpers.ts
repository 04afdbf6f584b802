import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createCluster } from '@keyv/redis';
import { type ClientOptions, createClient as createRcClient, type Grant, type TokenSet } from '@rc/core';
import type { MockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { freePort, redisCommand, spawnRedisServer } from '../../../scripts/services/redis.mjs';
import { type RedisStoreOptions, type RedisTokenStore, redisStore } from '../src/index.js';

// Shared test plumbing: the Redis URLs from global-setup.ts, random namespaces, stores closed after
// each test, clients of the mock server, a raw node-redis client to inspect and tamper with keys,
// cleanup, MONITOR, and a private redis-server to break.

export const redisUrl = (): string => inject('redisUrl');
export const clusterNodes = (): string[] => inject('redisClusterNodes');
export const clusterRootNodes = () => clusterNodes().map((url) => ({ url }));

export const randomNamespace = (tag: string): string => `rc-test-${tag}-${randomBytes(5).toString('hex')}`;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Opens stores on `defaults()` (read at each call: a namespace or URL may be set in a hook), each
 * with its own connection, as separate processes have; `closeAll` (for `afterEach`) closes them.
 */
export function storeOpener(defaults: () => RedisStoreOptions) {
  const opened: RedisTokenStore[] = [];
  return {
    open(options: RedisStoreOptions = {}): RedisTokenStore {
      const store = redisStore({ ...defaults(), ...options });
      opened.push(store);
      return store;
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    },
  };
}

/**
 * The fixture of a test file on the shared Redis (registers its own hooks): a random namespace,
 * stores on it closed after each test, a raw client to inspect and tamper with keys (from
 * `beforeAll` on), and the namespace's keys deleted at the end.
 */
export function useSharedRedis(tag: string) {
  const namespace = randomNamespace(tag);
  const stores = storeOpener(() => ({ url: redisUrl(), namespace }));
  let raw: RawClient | undefined;
  beforeAll(async () => {
    raw = await rawClient();
  });
  afterEach(() => stores.closeAll());
  afterAll(async () => {
    raw?.destroy();
    await deleteNamespace(namespace);
  });
  return {
    namespace,
    open: stores.open,
    get raw(): RawClient {
      if (!raw) throw new Error('the raw client connects in beforeAll');
      return raw;
    },
  };
}

/** A promise, and the function that resolves it ("fn is inside the lock", "let fn finish"). */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The REST resource the client tests request. */
export const EXTENSION_PATH = '/restapi/v1.0/account/~/extension/~';

/** A client of the mock `server` whose tokens live in `store`. */
export const mockClient = (server: MockServer, store: RedisTokenStore, extra: Partial<ClientOptions> = {}) =>
  createRcClient({
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    store,
    ...extra,
  });

/** The mock user's password login as an unattended grant: a client with it logs in by itself. */
export const passwordLogin = (server: MockServer): Grant => ({
  name: 'password',
  unattended: true,
  requestToken: (ctx) =>
    ctx.tokenRequest({
      grant_type: 'password',
      username: server.user.username,
      password: server.user.password,
      extension: server.user.extension,
    }),
});

const HOUR = 3_600_000;
/** A fake TokenSet valid for an hour (refresh token: a day); an override of `undefined` removes the field. */
export function token(overrides: { [K in keyof TokenSet]?: TokenSet[K] | undefined } = {}): TokenSet {
  const now = Date.now();
  const t: Record<string, unknown> = {
    accessToken: `at-${randomBytes(12).toString('hex')}`,
    tokenType: 'bearer',
    expiresAt: now + HOUR,
    refreshToken: `rt-${randomBytes(12).toString('hex')}`,
    refreshTokenExpiresAt: now + 24 * HOUR,
    ...overrides,
  };
  for (const [k, v] of Object.entries(t)) if (v === undefined) delete t[k];
  return t as unknown as TokenSet;
}

/** The Redis keys the store uses for `key` under `namespace` (see src/keys.ts). */
export const keysOf = (namespace: string, key: string) => {
  const base = `${namespace}::{${key}}`;
  return { token: base, version: `${base}:version`, lock: `${base}:lock` };
};

/** A plain node-redis client for a test's own reads and writes; the caller closes it. */
export async function rawClient(url = redisUrl()) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export type RawClient = Awaited<ReturnType<typeof rawClient>>;

export async function rawCluster() {
  const cluster = createCluster({ rootNodes: clusterRootNodes() });
  cluster.on('error', () => {});
  await cluster.connect();
  return cluster;
}

export type RawCluster = Awaited<ReturnType<typeof rawCluster>>;

/** Deletes every key under `namespace::` on the single Redis or on each cluster master. */
export async function deleteNamespace(
  namespace: string,
  target: 'single' | 'cluster' = 'single',
): Promise<void> {
  const urls = target === 'single' ? [redisUrl()] : clusterNodes();
  for (const url of urls) {
    const client = await rawClient(url);
    try {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${namespace}::*`, COUNT: 1000 }))
        keys.push(...batch);
      // One DEL per key: on a cluster node the keys of one namespace span many slots.
      for (const key of keys) await client.del(key);
    } finally {
      client.destroy();
    }
  }
}

/** Records every command Redis runs that mentions `filter` (MONITOR, on its own connection). */
export async function monitor(filter: string, url = redisUrl()) {
  const client = await rawClient(url);
  const lines: string[] = [];
  await client.monitor((line: string) => {
    if (line.includes(filter)) lines.push(line);
  });
  return {
    lines,
    /** Lines whose command (first quoted word) is `name`, case-insensitive. */
    commands: (name: string) => lines.filter((l) => new RegExp(`\\] "${name}"`, 'i').test(l)),
    stop: () => client.destroy(),
  };
}

/** A redis-server of the test's own on a free loopback port: safe to kill, freeze and restart. */
export class OwnRedis {
  #child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    this.#child = spawnRedisServer(this.port);
    const deadline = Date.now() + 5_000;
    while ((await redisCommand({ port: this.port }, ['PING'], 200).catch(() => undefined)) !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
      await sleep(20);
    }
  }

  /** Kills the server (connections drop at once). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** Freezes the server: connections stay open and commands are never answered. */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.#child?.kill('SIGCONT');
  }
}

/**
 * Resolves once `store` has answered a read and a lock: connected, its scripts loaded. Connecting
 * takes several round trips within the first call's `commandTimeoutMs`, which a test's short
 * deadline (300 ms) does not always cover on a loaded machine; a test whose subject comes after
 * the connection starts from here, retrying for up to `ms`.
 */
export async function connected(store: RedisTokenStore, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await store.get('connected');
      await store.withLock('connected', async () => {});
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

const TICK_MS = 10;

/**
 * How long `promise` takes to settle, and how; and `stalledMs`, how long this process's event loop
 * was held up meanwhile (a loaded machine: a starved CPU, a GC pause), measured as the lateness of a
 * 10 ms ticker. A deadline's timer is held up as much, so a bound of "settles at its deadline" is
 * checked on `ms - stalledMs`: scale-free, where the wall clock alone is stretched by load.
 */
export async function timed<T>(
  promise: Promise<T>,
): Promise<{ ms: number; stalledMs: number; value?: T; error?: unknown }> {
  const start = performance.now();
  let stalledMs = 0;
  let last = start;
  const tick = () => {
    const now = performance.now();
    stalledMs += Math.max(0, now - last - TICK_MS);
    last = now;
  };
  const ticker = setInterval(tick, TICK_MS);
  const done = (outcome: { value?: T; error?: unknown }) => {
    clearInterval(ticker);
    tick();
    return { ms: performance.now() - start, stalledMs, ...outcome };
  };
  try {
    return done({ value: await promise });
  } catch (error) {
    return done({ error });
  }
}

/**
 * Bundles a worker script of test/workers from the sources (the shared harness, test-support/) into
 * `dir`, for a child process run with plain Node. Returns the script's path. esbuild is loaded only
 * by the tests that bundle.
 */
export async function bundleWorker(name: string, dir: string): Promise<string> {
  const { bundleScript } = await import('../../../test-support/child-process.js');
  const outfile = join(dir, `${name}-${randomBytes(4).toString('hex')}.mjs`);
  return bundleScript(fileURLToPath(new URL(`./workers/${name}.ts`, import.meta.url)), outfile);
}
