import { ConfigError, type EventBody, type RcClient } from '@rc/core';
import { resolveOptions, type SubscribeOptions } from './options.js';
import { LiveSubscription } from './subscription.js';
import type { Subscription } from './types.js';

/**
 * Subscribes to RingCentral push notifications over WebSocket. Resolves once subscribed (or, with
 * failover, once it knows another process holds the connection); rejects when the first attempt
 * fails (no token, a missing `WebSocketsSubscription` scope, a refused connection). From then on it
 * keeps itself alive: it reconnects with backoff after drops, recovers the session (missed events
 * delivered once), subscribes again when recovery fails, renews before the gateway's limits, and
 * survives token refreshes. With a store implementing core's `StateStore` (memory, Redis) its
 * state is kept there: a restarted process recovers, and processes sharing the store and `key`
 * elect one holder of the connection, replaced within about `leaseTtlMs` when it dies.
 *
 * @throws {ConfigError} as a rejection, before any request, when an option is invalid or unknown.
 * @example
 * const sub = await subscribe(rc, {
 *   eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
 *   onNotification: (n) => console.log(n.event, n.body),
 * });
 * // ... on shutdown:
 * await sub.close();
 * @see https://developers.ringcentral.com/guide/notifications/websockets/subscribing
 */
export async function subscribe<F extends string>(
  rc: RcClient,
  options: SubscribeOptions<F>,
): Promise<Subscription<EventBody<F>>> {
  // The body type is the caller's view (`@rc/api`); at run time a notification is what arrived.
  const resolved = resolveOptions(options as unknown as SubscribeOptions);
  if (typeof rc !== 'object' || rc === null || typeof rc.post !== 'function' || !rc.store) {
    throw new ConfigError('subscribe(rc, options): `rc` must be a client from createClient()', 'rc');
  }
  const subscription = new LiveSubscription(rc, resolved);
  await subscription.start();
  return subscription as Subscription<EventBody<F>>;
}
