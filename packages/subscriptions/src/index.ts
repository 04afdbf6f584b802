// @rc/subscriptions: RingCentral push notifications over WebSocket, with session recovery across
// drops, restarts and processes. The public face: named exports only.

export type { SubscriptionEventName, SubscriptionEvents } from './emitter.js';
export { SubscriptionError } from './errors.js';
export type { SubscribeOptions, WebSocketConstructor } from './options.js';
export type { Subscription } from './subscription.js';
export { subscribe } from './subscription.js';
export type { Notification } from './wire.js';
