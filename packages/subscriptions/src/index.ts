// @rc/subscriptions: RingCentral push notifications over WebSocket, with session recovery across
// drops, restarts and processes. The public face: named exports only.

export { SubscriptionError } from './errors.js';
export type { SubscribeOptions, WebSocketConstructor, WebSocketLike } from './options.js';
export { subscribe } from './subscribe.js';
export type { Notification, Subscription, SubscriptionEventName, SubscriptionEvents } from './types.js';
