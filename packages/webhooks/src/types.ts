// The public types of @rc/webhooks, on one sheet: a delivered notification and a kept webhook.

/**
 * A notification as RingCentral POSTs it to a webhook address. `B` is the body's type: with
 * `import '@rc/api'`, the event schema the description ties to the event filters, else `unknown`.
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/receiving
 */
export interface WebhookNotification<B = unknown> {
  /** Unique per event: a repeat of the same notification carries the same one. */
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

/** A WebHook subscription kept alive by {@link createWebhook}. */
export interface Webhook {
  /** The RingCentral subscription id (undefined while another process keeps it and none is stored yet). */
  readonly id: string | undefined;
  /** Where RingCentral delivers. */
  readonly address: string;
  /** The event filters subscribed to now (after any `update()`). */
  readonly eventFilters: string[];
  /** When the subscription expires unless renewed (epoch ms), as last known. */
  readonly expiresAt: number | undefined;
  /** `true` while this process is the one that renews (always, without a shared store). */
  readonly holder: boolean;
  /**
   * Changes the event filters (a PUT of the subscription). On a process that is not the holder the
   * filters are only remembered, and applied when it becomes the holder.
   */
  update(eventFilters: string[]): Promise<void>;
  /**
   * Stops renewing: no timer is left, and the process may exit. With `{ unsubscribe: true }` the
   * subscription is also deleted at RingCentral and its stored state removed; by default both are
   * kept, so a restarted process (or another one sharing the store) reuses the subscription.
   * Unsubscribe when the app stops for good: a renewer still running in another process finds the
   * subscription gone at its next check and creates it again.
   */
  close(options?: { unsubscribe?: boolean | undefined }): Promise<void>;
}
