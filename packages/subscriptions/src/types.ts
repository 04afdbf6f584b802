// The public types of @rc/subscriptions, on one sheet: the subscription, its events, a notification.
import type { RcError } from '@rc/core';

/**
 * A push notification as delivered to listeners. `B` is the body's type: with `import '@rc/api'`, the
 * event schema the description ties to the subscription's event filters, else `unknown`.
 */
export interface Notification<B = unknown> {
  /** Unique per event: duplicates (a replay after recovery) are dropped by it. */
  uuid: string;
  /** The event path, e.g. `/restapi/v1.0/account/1/extension/101/message-store`. */
  event: string;
  /** ISO 8601. */
  timestamp: string;
  /** The subscription the notification belongs to. */
  subscriptionId: string;
  /** The extension id of the subscription owner, when given. */
  ownerId: string | undefined;
  /** The event's payload, as RingCentral documents it for the event filter. */
  body: B;
}

/** What each event of a {@link Subscription} passes its listeners. */
export interface SubscriptionEvents<B = unknown> {
  /** A notification, in order, once each. A returned promise is awaited before the next one. */
  notification: (notification: Notification<B>) => void | Promise<void>;
  /** A connection is up and subscribed (`recovered`: the session was recovered, not new). */
  connected: (info: { recovered: boolean }) => void;
  /** The session was recovered after a drop or a restart: missed events follow. */
  recovered: (info: { subscriptionId: string }) => void;
  /** Recovery failed (window exceeded, gateway refused): a new subscription replaces the old one. */
  resubscribed: (info: { previousId: string; subscriptionId: string }) => void;
  /** Something went wrong; the subscription keeps trying (it reconnects with backoff). */
  error: (error: RcError) => void;
}

/** The events `subscription.on()` accepts. */
export type SubscriptionEventName = keyof SubscriptionEvents;

/** A live subscription; see {@link subscribe}. `B` is its notifications' body type. */
export interface Subscription<B = unknown> {
  /** The RingCentral subscription id (undefined while another process holds it and none is stored). */
  readonly id: string | undefined;
  /** The event filters subscribed to now (after any `update()`). */
  readonly eventFilters: string[];
  /** `true` while this process holds the connection (always, without failover). */
  readonly holder: boolean;
  /** Listens to an event of the subscription; returns the unsubscribe function. */
  on<E extends SubscriptionEventName>(event: E, listener: SubscriptionEvents<B>[E]): () => void;
  /**
   * Changes the event filters (a PUT of the subscription over the socket). On a process that does
   * not hold the connection (`holder` is false) the new filters are only remembered: they are
   * applied when this process takes the connection over. Call it on the holder to change what is
   * delivered now.
   */
  update(eventFilters: string[]): Promise<void>;
  /**
   * Stops: no socket, timer or listener is left, and the process may exit. By default the
   * subscription is also deleted at RingCentral and its stored state removed; with
   * `{ unsubscribe: false }` both are left, so another process (or this one, restarted within the
   * recovery window) recovers the session and receives what was sent meanwhile.
   */
  close(options?: { unsubscribe?: boolean }): Promise<void>;
}
