import KeyvRedis, { createClient, createCluster, type RedisClusterOptions } from '@keyv/redis';
import { StoreError } from '@rc/core';
import { safeCause, withDeadline } from '@rc/core/kit';
import { Keyv } from 'keyv';
import { KeySpace } from './keys.js';
import { DEFAULT_NAMESPACE, type ResolvedOptions } from './options.js';
import type { ScriptRunner } from './scripts.js';

// The connection, and the one place commands are sent. Why not through keyv's get/set:
// - keyv swallows store errors by default, and @keyv/redis's set reports success when the write
//   failed; a token store must surface every failure (a failed read is never "no token").
// - node-redis queues commands forever while disconnected, and its `timeout` command option stops
//   only at the socket: a command already written to a Redis that froze waits for ever. So every
//   call here runs against one deadline (AbortSignal + race): unsent commands are dropped from the
//   queue when it fires (never sent late), and the caller gets a StoreError at once.
// - a token write must be atomic with its version bump and lock check: Lua (scripts.ts).
// keyv still shapes the data: the token entry is a keyv entry, written with the Keyv's own
// serializer under @keyv/redis's key prefix, so keyv tools can read it.

/** The node-redis surface the store uses (single client and cluster alike). */
export interface RedisCommands extends ScriptRunner {
  get(key: string): Promise<string | null>;
  sPublish(channel: string, message: string): Promise<unknown>;
}

interface RedisConnection extends RedisCommands {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
  withCommandOptions(options: { abortSignal: AbortSignal }): RedisCommands;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

export type Operation = 'get' | 'set' | 'delete' | 'lock' | 'penalty';

/** What subscribing to a sharded channel needs (a client or a cluster). */
export interface PubSubClient {
  sSubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  sUnsubscribe(channel: string, listener?: (message: string) => void): Promise<void>;
}

class DeadlineError extends Error {
  override name = 'TimeoutError';
}
const deadlineError = (ms: number) => new DeadlineError(`no answer from Redis within ${ms} ms`);

export class Connection {
  /** Keyv whose serializer writes and reads token entries. */
  readonly keyv: Keyv;
  readonly keys: KeySpace;
  readonly #timeoutMs: number;
  readonly #client: RedisConnection;
  /** `true` when the store created the connection (and so closes it). */
  readonly #owned: boolean;
  #connecting: Promise<void> | undefined;
  #lastError: string | undefined;
  #closed = false;
  readonly #onError = (error: unknown) => {
    this.#lastError = safeCause(error).message;
  };
  readonly #onReady = () => {
    this.#lastError = undefined;
  };

  constructor(options: ResolvedOptions) {
    this.#timeoutMs = options.commandTimeoutMs;
    const { source } = options;
    let adapter: KeyvRedis<unknown>;
    if (source.kind === 'keyv') {
      this.keyv = source.keyv;
      adapter = source.keyv.store as KeyvRedis<unknown>;
      this.#owned = false;
    } else {
      // Reconnect fast: a call made while Redis is back but the client not yet reconnected waits
      // in the queue at most half its deadline for the next attempt, then succeeds.
      const cap = Math.max(50, Math.floor(options.commandTimeoutMs / 2));
      const reconnectStrategy = (retries: number) =>
        Math.min(50 * 2 ** retries, cap) + Math.floor(Math.random() * (cap / 10));
      const client =
        source.kind === 'url'
          ? createClient({ url: source.url, socket: { reconnectStrategy } })
          : createCluster(withReconnect(source.cluster, reconnectStrategy));
      // Only for the serializer and the key prefix (no keyv get/set is ever called: see above), so
      // keyv's error options play no part.
      const namespace = options.namespace ?? DEFAULT_NAMESPACE;
      adapter = new KeyvRedis(client, { namespace });
      this.keyv = new Keyv(adapter, { namespace, useKeyPrefix: false });
      this.#owned = true;
    }
    this.#client = adapter.client as unknown as RedisConnection;
    const namespace = options.namespace ?? adapter.namespace ?? DEFAULT_NAMESPACE;
    // The one check of the prefix (an explicit namespace, or the given keyv's namespace and separator).
    this.keys = new KeySpace(namespace, adapter.keyPrefixSeparator, options.namespace ? 'namespace' : 'keyv');
    // Listening to 'error' also keeps node-redis from crashing the process on a socket error.
    for (const event of ['error', 'node-error']) this.#client.on(event, this.#onError);
    for (const event of ['ready', 'connect']) this.#client.on(event, this.#onReady);
  }

  /**
   * Runs `fn` with a client whose commands share one deadline of `commandTimeoutMs`, connecting first if
   * needed. Any failure, including the deadline, becomes a StoreError for `op` on session `name`.
   */
  async run<T>(op: Operation, name: string, fn: (client: RedisCommands) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(op, `Cannot ${op} "${name}": the Redis token store was closed`);
    const controller = new AbortController();
    // The event loop runs due timers before it reads the sockets: after a stall (a GC pause, sync
    // work, a starved CPU) the deadline would fire before an answer that came in time and waits
    // unread. So it fires one turn later, once what arrived meanwhile has been read. (Hence not core's
    // withDeadline, used below for the connect: core runs in browsers, which have no setImmediate.)
    let late: ReturnType<typeof setImmediate> | undefined;
    const timer = setTimeout(() => {
      late = setImmediate(() => controller.abort(deadlineError(this.#timeoutMs)));
    }, this.#timeoutMs);
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    const work = (async () => {
      await this.#connect();
      controller.signal.throwIfAborted();
      return fn(this.#client.withCommandOptions({ abortSignal: controller.signal }));
    })();
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      // Past the deadline, whatever the command reports (AbortError...) is the deadline.
      throw this.#failure(op, name, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      clearTimeout(timer);
      if (late) clearImmediate(late);
    }
  }

  /**
   * A connection that may subscribe (for shared penalties): a duplicate of a single client (a
   * subscribed client runs no other command), or the cluster itself (node-redis opens its own
   * connections for sharded pub/sub). The caller closes what `close` it gets.
   */
  async subscriber(): Promise<{ client: PubSubClient; close: () => Promise<void> }> {
    if (this.#closed) throw new Error('the Redis token store was closed');
    await this.#connect();
    if ('masters' in this.#client)
      return { client: this.#client as unknown as PubSubClient, close: async () => {} };
    const duplicate = (
      this.#client as unknown as { duplicate(): RedisConnection & PubSubClient }
    ).duplicate();
    duplicate.on('error', () => {});
    // Destroyed by close() whatever state it is in: a subscriber must never keep the process alive.
    const destroy = () => {
      this.#extras.delete(destroy);
      try {
        duplicate.destroy();
      } catch {
        // already closed
      }
    };
    this.#extras.add(destroy);
    try {
      await withDeadline(duplicate.connect(), this.#timeoutMs, () => deadlineError(this.#timeoutMs));
    } catch (error) {
      destroy();
      throw error;
    }
    return { client: duplicate, close: async () => destroy() };
  }

  /** Connections made besides the main one (subscribers), destroyed by close(). */
  readonly #extras = new Set<() => void>();

  #failure(op: Operation, name: string, error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    const connection = this.#lastError ? ` (last connection error: ${this.#lastError})` : '';
    if (error instanceof DeadlineError) {
      const hint = op === 'set' || op === 'delete' ? ' The write may or may not have been applied.' : '';
      return new StoreError(
        op,
        `Redis did not answer within ${this.#timeoutMs} ms (${op} "${name}")${connection}.${hint} Check that Redis is running and reachable.`,
        { cause: safeCause(error) },
      );
    }
    const cause = safeCause(error);
    return new StoreError(op, `Redis ${op} of "${name}" failed: ${cause.message}${connection}`, { cause });
  }

  /** Connects on first use. node-redis then reconnects by itself; a failed cluster discovery is retried. */
  #connect(): Promise<void> {
    if (this.#connecting) return this.#connecting;
    if (this.#client.isOpen) return Promise.resolve();
    const connecting: Promise<void> = this.#client.connect().then(
      () => undefined,
      (error: unknown) => {
        if (this.#connecting === connecting) this.#connecting = undefined;
        throw error;
      },
    );
    connecting.catch(() => {}); // awaited by callers; never an unhandled rejection if none is left
    this.#connecting = connecting;
    return connecting;
  }

  /** Closes the connection if the store created it; a given one is left to its owner. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const destroy of [...this.#extras]) destroy();
    for (const event of ['error', 'node-error']) this.#client.off(event, this.#onError);
    for (const event of ['ready', 'connect']) this.#client.off(event, this.#onReady);
    if (!this.#owned || !this.#client.isOpen) return;
    // Keep an 'error' listener while closing: a socket error now must not crash the process.
    this.#client.on('error', () => {});
    // close() waits for pending replies, which a frozen Redis never sends: bounded, then destroy.
    const graceful = await withDeadline(this.#client.close(), this.#timeoutMs, () =>
      deadlineError(this.#timeoutMs),
    ).then(
      () => true,
      () => false,
    );
    if (!graceful && this.#client.isOpen) {
      try {
        this.#client.destroy();
      } catch {
        // already closed
      }
    }
  }
}

/** Cluster options with our reconnect strategy as the per-node default, unless the user set one. */
function withReconnect(
  cluster: RedisClusterOptions,
  reconnectStrategy: (retries: number) => number,
): RedisClusterOptions {
  const defaults = (cluster.defaults ?? {}) as Record<string, unknown>;
  const socket = (defaults.socket ?? {}) as Record<string, unknown>;
  return {
    ...cluster,
    defaults: { ...defaults, socket: { reconnectStrategy, ...socket } },
  } as RedisClusterOptions;
}
