/**
 * The notification side of one mock server, wired in one place: one subscription store and one
 * resource for both delivery modes, and the two deliverers that read the store (the WebSocket
 * gateway, WebHook delivery). Its `notify()` is the one place notifications leave the server,
 * whatever asked for them (a test, an SMS sent).
 */
import type { MockContext } from '../context.js';
import type { MockWebhookStats } from '../types/notifications.js';
import { SubscriptionRecords } from './subscription-records.js';
import { SubscriptionResource } from './subscription-resource.js';
import { WebhookDelivery } from './webhook-delivery.js';
import { createWebhookStats } from './webhook-settings.js';
import { WsGateway } from './ws-gateway.js';
import { WsSessions } from './ws-sessions.js';

export interface Notifications {
  resource: SubscriptionResource;
  gateway: WsGateway;
  sessions: WsSessions;
  webhooks: WebhookDelivery;
  webhookStats: MockWebhookStats;
  /** Emits to every matching subscriber, WebSocket and WebHook alike; returns how many. */
  notify(event: string, body: unknown): number;
  close(): void;
}

/** Builds the notification side for `ctx` (whose `subscriptions` should answer with `resource`). */
export function createNotifications(ctx: MockContext): Notifications {
  const { now, options } = ctx;
  const sessions = new WsSessions(now, options.webSocket);
  const records = new SubscriptionRecords(now, sessions);
  const webhookStats = createWebhookStats();
  const webhooks = new WebhookDelivery(now, records, options.webhooks, webhookStats);
  const resource = new SubscriptionResource({
    now,
    baseUrl: ctx.baseUrl,
    records,
    webSocketTtlSec: options.webSocket.subscriptionTtlSec,
    handshake: (address) => webhooks.handshake(address),
    stats: { webSocket: ctx.stats.webSocket, webhooks: webhookStats },
  });
  const gateway = new WsGateway(ctx, {
    options: options.webSocket,
    stats: ctx.stats.webSocket,
    sessions,
    records,
    resource,
  });
  return {
    resource,
    gateway,
    sessions,
    webhooks,
    webhookStats,
    notify: (event, body) => gateway.notify(event, body) + webhooks.notify(event, body),
    close: () => {
      gateway.close();
      webhooks.close();
    },
  };
}
