/**
 * What tests see of the notification channels: the WebSocket gateway's counters and controls, the
 * WebHook subscriptions and their counters. Kept apart from the server's face, which only names them.
 */

/** WebSocket gateway counters (in {@link MockStats.webSocket}). */
export interface MockWebSocketStats {
  /** `wstoken` issued. */
  tokens: number;
  /** Connections accepted (with a valid token), ever. */
  connections: number;
  /** Connections open now (silently dropped ones included until they close). */
  open: number;
  /** Recovery attempts (`&wsc=`), by outcome. */
  recoveries: {
    /** Reconnections with `wsc` that kept the session (`recoveryState: 'Successful'`). */
    successful: number;
    /** Reconnections with `wsc` that could not (`recoveryState: 'Failed'`). */
    failed: number;
  };
  /** Subscriptions created over the socket. */
  subscriptions: number;
  /** Notifications emitted (one per matching subscription), sent or buffered. */
  notifications: number;
  /** Heartbeats answered. */
  heartbeats: number;
}

/** A WebHook subscription as the test controls show it (`mock.webhooks.subscriptions`). */
export interface MockWebhookSubscription {
  /** The subscription id. */
  id: string;
  /** Where deliveries go. */
  address: string;
  /** As given (`~` not resolved). */
  eventFilters: string[];
  /** `Blacklisted` after `blacklistAfter` failed deliveries in a row: nothing more is delivered. */
  status: 'Active' | 'Blacklisted';
  /** Epoch ms (the mock's clock). */
  expiresAt: number;
  /** Failed deliveries in a row. */
  failures: number;
}

/** WebHook counters (`mock.webhooks.stats`). */
export interface MockWebhookStats {
  /** Subscriptions created (handshake passed). */
  created: number;
  /** Renewals and updates (PUT, `POST …/renew`). */
  renewed: number;
  /** Subscriptions deleted (DELETE). */
  deleted: number;
  /** Creations refused with `SUB-525`. */
  handshakesFailed: number;
  /** Delivery attempts, first ones and retries. */
  deliveries: number;
  /** Delivery attempts that failed (not a 2xx, or no answer within `deliveryTimeoutMs`). */
  failedDeliveries: number;
  /** Subscriptions that became `Blacklisted`. */
  blacklisted: number;
}

/** What the mock shows of its WebHook subscriptions ({@link MockServer.webhooks}). */
export interface MockWebhookControls {
  /** The live WebHook subscriptions (expired ones are gone). */
  readonly subscriptions: MockWebhookSubscription[];
  /** Counters: created, renewed, deleted, failed handshakes, delivery attempts, failures, blacklisted. */
  readonly stats: MockWebhookStats;
}

/** Test controls of the WebSocket gateway ({@link MockServer.webSocket}). */
export interface MockWebSocketControls {
  /**
   * Drops every open connection and returns how many: abruptly (TCP reset), or with `silent` the
   * connection stays open but the server never reads or writes on it again (a dead network path
   * that only heartbeats reveal). Either way the session becomes recoverable.
   */
  drop(options?: { silent?: boolean }): number;
  /** The next `times` (default 1) recovery attempts fail with `recoveryState: 'Failed'`. */
  refuseRecovery(times?: number): void;
  /** Connections open and answered now. */
  readonly openConnections: number;
}
