// @rc/webhooks: RingCentral WebHook subscriptions, both sides — the receiver (a fetch-style
// handler, and its node:http adapter) and the keeper of the subscription. The public face: named
// exports only.

export { WebhookError } from './errors.js';
export type { FetchHandler } from './handler.js';
export { webhookHandler } from './handler.js';
export type { WebhookHandlerOptions } from './handler-options.js';
export type { NodeHandler, NodeRequest, NodeResponse } from './node.js';
export { toNodeHandler } from './node.js';
export type { Webhook, WebhookNotification } from './types.js';
export { createWebhook } from './webhook.js';
export type { CreateWebhookOptions } from './webhook-options.js';
export { MAX_EXPIRES_IN } from './webhook-options.js';
