import { isRcError, type RcError } from '@rc/core';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { SubscriptionError } from './errors.js';
import { MAX_TIMER_MS } from './lifetime.js';
import type { ResolvedOptions } from './options.js';
import { KnownSecrets } from './secrets.js';
import type { StateKeeper, SubscriptionState } from './state.js';
import { Timers } from './timers.js';
import type { SubscriptionEventName, SubscriptionEvents } from './types.js';
import type { ConnectionDetails } from './wire.js';

// What the parts of one subscription share (the lease, delivery, renewal, the connector and the
// subscription that drives them): its options and clock, its state and current connection, and the
// ways to report. One object, written by the subscription, read by the parts, so that each part is
// a small class of its own concern instead of a section of one large class.

export interface Shared {
  readonly o: ResolvedOptions;
  /** The clock (epoch ms): the `now` option, `Date.now` by default. */
  readonly now: () => number;
  readonly secrets: KnownSecrets;
  readonly keeper: StateKeeper;
  readonly timers: Timers;
  readonly events: Emitter;
  /** Aborted by close(): every wait gives up at once. */
  readonly stop: AbortSignal;
  state: SubscriptionState;
  /** The open connection of this process, when it holds one. */
  conn: Connection | undefined;
  details: ConnectionDetails | undefined;
  closed: boolean;
  /** Closed with `unsubscribe`: the state is deleted, and must not be written again. */
  unsubscribed: boolean;
  /** When the current connection was established (epoch ms). */
  connectedAt: number;
  /** Emits once listeners may hear (after subscribe() resolved). */
  emit<E extends SubscriptionEventName>(event: E, ...args: Parameters<SubscriptionEvents[E]>): void;
  error(error: RcError): void;
  /** An RcError as is; anything else as a SubscriptionError whose cause is scrubbed. */
  asRcError(error: unknown, what: string): RcError;
  /** Saves the state for as long as the session could be recovered. */
  persist(): Promise<void>;
}

/** A subscription's shared part, fresh: nothing connected, nothing emitted before `ready`. */
export function createShared(
  options: ResolvedOptions,
  keeper: StateKeeper,
  stop: AbortSignal,
  ready: Promise<void>,
): Shared {
  const secrets = new KnownSecrets();
  const s: Shared = {
    o: options,
    now: options.now,
    secrets,
    keeper,
    timers: new Timers(),
    events: new Emitter((error) =>
      s.error(new SubscriptionError('A notification listener threw', { cause: secrets.cause(error) })),
    ),
    stop,
    state: { wsc: undefined, subscriptionId: undefined, eventFilters: options.eventFilters, recent: [] },
    conn: undefined,
    details: undefined,
    closed: false,
    unsubscribed: false,
    connectedAt: 0,
    emit: (event, ...args) => void ready.then(() => s.events.emit(event, ...args)),
    error: (error) => s.emit('error', error),
    asRcError: (error, what) =>
      isRcError(error) ? error : new SubscriptionError(what, { cause: secrets.cause(error) }),
    // For as long as the session could be recovered (plus a margin).
    persist: () =>
      keeper.save(
        s.state,
        Math.min(MAX_TIMER_MS, Math.ceil((s.details?.recoveryTimeout ?? 180) * 1000 + 60_000)),
      ),
  };
  return s;
}
