import { ConfigError, type EventBody } from '@rc/core';
import { checkEventFilters, checkOptions } from '@rc/core/kit';
import type { Notification } from './types.js';

/**
 * The part of a WebSocket the subscription uses. Both the runtime's `WebSocket` (Node 22+,
 * browsers, Deno, Bun) and `ws`'s class fit it, so either is passed without a cast.
 */
export interface WebSocketLike {
  // `any` events: the DOM's and ws's event types differ, and only `any` relates to both listeners.
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message' | 'close' | 'error', listener: (event: any) => void): void;
  removeEventListener(type: 'message' | 'close' | 'error', listener: (event: any) => void): void;
}

/** A `WebSocket` constructor: the runtime's (Node 22+, browsers, Deno, Bun) or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link subscribe}; `F` is the event filters' type (their literals type the bodies). */
export interface SubscribeOptions<F extends string = string> {
  /**
   * The events to receive, as RingCentral event filter paths (`~` is the current account or extension).
   * @example ['/restapi/v1.0/account/~/extension/~/message-store']
   * @see https://developers.ringcentral.com/guide/notifications/event-filters
   */
  eventFilters: F[];
  /** Called for every notification, in order, once each. Same as `on('notification', fn)`. */
  onNotification?: ((notification: Notification<EventBody<F>>) => void | Promise<void>) | undefined;
  /** Aborting it closes the subscription, as `close()` does. */
  signal?: AbortSignal | undefined;
  /**
   * Where the subscription's state (recovery token, subscription id, last sequence) is kept in the
   * client's store, and the name of the lease that elects one connection holder among processes.
   * Processes that should share one subscription (and receive each event once between them) give
   * the same key; one process with two different subscriptions gives two keys.
   * @default `subscription:<the client's session key>:<a hash of the sorted event filters>`
   */
  key?: string | undefined;
  /**
   * Share the subscription among the processes on one store (through its lease, when the store
   * implements core's `StateStore`): one holds the connection, the others take over when it dies.
   * `false`: this process always connects itself.
   * @default true
   */
  failover?: boolean | undefined;
  /**
   * How long a holder's lease lasts without renewal, in ms. It renews every third of this; when a
   * holder dies, another process takes over after at most about this long.
   * @default 10000
   */
  leaseTtlMs?: number | undefined;
  /**
   * How often a heartbeat is sent on a quiet connection, in ms. Lowered to half the gateway's
   * `idleTimeout` when that is shorter.
   * @default 30000
   */
  heartbeatIntervalMs?: number | undefined;
  /** A connection that answers nothing (not even a heartbeat) for this long, in ms, is dead. @default 10000 */
  heartbeatTimeoutMs?: number | undefined;
  /** Deadline of a connection attempt (socket open and `ConnectionDetails`), in ms. @default 15000 */
  connectTimeoutMs?: number | undefined;
  /** Deadline of a request over the socket (subscribe, renew, delete), in ms. @default 15000 */
  requestTimeoutMs?: number | undefined;
  /** First delay before reconnecting, in ms; doubles per failed attempt, with jitter. @default 500 */
  reconnectDelayMs?: number | undefined;
  /** Longest delay between reconnection attempts, in ms. @default 30000 */
  maxReconnectDelayMs?: number | undefined;
  /**
   * How long before the gateway's `absoluteTimeout` (and before the subscription expires) the
   * connection is renewed (reconnected with recovery) or the subscription renewed, in ms; at most
   * half the lifetime.
   * @default 60000
   */
  renewBeforeMs?: number | undefined;
  /**
   * The `WebSocket` class to connect with. Default: the runtime's global `WebSocket` (Node 22+ has
   * one); pass `ws`'s for a runtime without it: `import WebSocket from 'ws'` (with `@types/ws` in TypeScript).
   */
  WebSocket?: WebSocketConstructor | undefined;
  /** The clock, in epoch ms (for tests), as `createClient({ now })` takes it. @default Date.now */
  now?: (() => number) | undefined;
}

export interface ResolvedOptions {
  eventFilters: string[];
  onNotification: ((n: Notification) => void | Promise<void>) | undefined;
  signal: AbortSignal | undefined;
  key: string | undefined;
  failover: boolean;
  leaseTtlMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  renewBeforeMs: number;
  WebSocket: WebSocketConstructor;
  now: () => number;
}

const DURATIONS = {
  leaseTtlMs: 10_000,
  heartbeatIntervalMs: 30_000,
  heartbeatTimeoutMs: 10_000,
  connectTimeoutMs: 15_000,
  requestTimeoutMs: 15_000,
  reconnectDelayMs: 500,
  maxReconnectDelayMs: 30_000,
  renewBeforeMs: 60_000,
} as const;

const KNOWN = [
  'eventFilters',
  'onNotification',
  'signal',
  'key',
  'failover',
  'WebSocket',
  'now',
  ...Object.keys(DURATIONS),
];

/** Checks every option; a bad one throws ConfigError naming it. */
export function resolveOptions(options: SubscribeOptions): ResolvedOptions {
  checkOptions(options, KNOWN, 'subscribe()');
  const { eventFilters, onNotification, signal, key, failover = true, now = Date.now } = options;
  const filters = checkEventFilters(eventFilters, 'subscribe');
  if (onNotification !== undefined && typeof onNotification !== 'function')
    throw new ConfigError('subscribe: `onNotification` must be a function', 'onNotification');
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new ConfigError('subscribe: `signal` must be an AbortSignal', 'signal');
  if (key !== undefined && (typeof key !== 'string' || key === ''))
    throw new ConfigError('subscribe: `key` must be a non-empty string', 'key');
  if (typeof now !== 'function') throw new ConfigError('subscribe: `now` must be a function', 'now');
  if (typeof failover !== 'boolean')
    throw new ConfigError('subscribe: `failover` must be a boolean', 'failover');
  const durations = { ...DURATIONS } as Record<keyof typeof DURATIONS, number>;
  for (const name of Object.keys(DURATIONS) as (keyof typeof DURATIONS)[]) {
    const v: unknown = options[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 86_400_000)
      throw new ConfigError(`subscribe: \`${name}\` must be a whole number of ms from 1 to 86400000`, name);
    durations[name] = v;
  }
  if (durations.maxReconnectDelayMs < durations.reconnectDelayMs)
    throw new ConfigError(
      'subscribe: `maxReconnectDelayMs` must be >= `reconnectDelayMs`',
      'maxReconnectDelayMs',
    );
  const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocketClass !== 'function') {
    throw new ConfigError(
      'subscribe: this runtime has no global WebSocket; pass one: `subscribe(rc, { WebSocket: (await import("ws")).WebSocket, ... })`',
      'WebSocket',
    );
  }
  return {
    eventFilters: filters,
    onNotification,
    signal,
    key,
    failover,
    ...durations,
    WebSocket: WebSocketClass,
    now,
  };
}
