/**
 * WebHook delivery, as RingCentral runs it, for the subscriptions whose transport is `WebHook` (the
 * subscription resource creates and renews them; this only delivers): the validation handshake a
 * creation waits for (a POST carrying a `Validation-Token` header, to be echoed in a 200 within
 * `validationTimeoutMs` with a small body, else the creation fails with `SUB-525`); each matching
 * notification POSTed to the address with the `Verification-Token` header when one was given; an
 * address failing (not a 2xx, no answer in time) `blacklistAfter` times in a row `Blacklisted`,
 * getting nothing more. A failed delivery is also retried with the same uuid (`retryDelaysMs`): the
 * mock's own model, to exercise a receiver's de-duplication; RingCentral documents no redelivery.
 * Addresses are loopback only (the resource checks): the mock never sends anything to another machine.
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/troubleshooting
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
 */
import { randomUUID } from 'node:crypto';
import type { MockWebhookStats, MockWebhookSubscription } from '../types/notifications.js';
import { matchesFilters, resolveEvent } from './event-filters.js';
import type { SubscriptionRecords, WebHookSubscription } from './subscription-records.js';
import type { WebhookSettings } from './webhook-settings.js';

/** RingCentral refuses a handshake answer larger than this (body and headers). */
const MAX_HANDSHAKE_REPLY = 1024;
const USER_AGENT = 'RingCentral-Webhook/8.3 (mock)';

export class WebhookDelivery {
  readonly #now: () => number;
  readonly #records: SubscriptionRecords;
  readonly #o: WebhookSettings;
  readonly #stats: MockWebhookStats;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #stop = new AbortController();

  constructor(
    now: () => number,
    records: SubscriptionRecords,
    settings: WebhookSettings,
    stats: MockWebhookStats,
  ) {
    this.#now = now;
    this.#records = records;
    this.#o = settings;
    this.#stats = stats;
  }

  /** The live WebHook subscriptions as the test controls show them (expired ones are gone). */
  get subscriptions(): MockWebhookSubscription[] {
    return this.#records.live('WebHook').map((s) => ({
      id: s.id,
      address: s.address,
      eventFilters: [...s.eventFilters],
      status: s.status,
      expiresAt: s.expiresAt,
      failures: s.failures,
    }));
  }

  /** The validation request: a 200 echoing the token, small, within `validationTimeoutMs`. */
  async handshake(address: string): Promise<boolean> {
    const token = randomUUID();
    let valid = false;
    try {
      const res = await fetch(address, {
        method: 'POST',
        headers: { 'Validation-Token': token, 'User-Agent': USER_AGENT },
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.validationTimeoutMs), this.#stop.signal]),
        redirect: 'manual',
      });
      const reply = await res.arrayBuffer();
      let size = reply.byteLength;
      res.headers.forEach((value, name) => {
        size += name.length + value.length + 4;
      });
      valid =
        res.status === 200 && res.headers.get('Validation-Token') === token && size <= MAX_HANDSHAKE_REPLY;
    } catch {
      valid = false;
    }
    if (!valid) this.#stats.handshakesFailed++;
    return valid;
  }

  /** Delivers a notification to every active WebHook subscription matching `event`; returns how many. */
  notify(event: string, body: unknown): number {
    let count = 0;
    for (const sub of this.#records.live('WebHook')) {
      if (sub.status !== 'Active') continue;
      const concrete = resolveEvent(event, sub);
      if (!matchesFilters(concrete, sub.eventFilters, sub)) continue;
      const payload = JSON.stringify({
        uuid: randomUUID(),
        event: concrete,
        timestamp: new Date(this.#now()).toISOString(),
        subscriptionId: sub.id,
        ownerId: sub.userId,
        body,
      });
      void this.#deliver(sub, payload, 0);
      count++;
    }
    return count;
  }

  /** Stops every delivery and retry (the server is closing). */
  close(): void {
    this.#stop.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** One delivery attempt; a failure is retried after `retryDelaysMs[attempt]`, or blacklists. */
  async #deliver(sub: WebHookSubscription, payload: string, attempt: number): Promise<void> {
    if (this.#stop.signal.aborted || !this.#records.holds(sub) || sub.status !== 'Active') return;
    this.#stats.deliveries++;
    let ok = false;
    try {
      const res = await fetch(sub.address, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'User-Agent': USER_AGENT,
          ...(sub.verificationToken === undefined ? {} : { 'Verification-Token': sub.verificationToken }),
        },
        body: payload,
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.deliveryTimeoutMs), this.#stop.signal]),
        redirect: 'manual',
      });
      await res.arrayBuffer();
      ok = res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    if (ok) {
      sub.failures = 0;
      return;
    }
    this.#stats.failedDeliveries++;
    sub.failures++;
    if (sub.failures >= this.#o.blacklistAfter) {
      if (sub.status === 'Active') this.#stats.blacklisted++;
      sub.status = 'Blacklisted';
      sub.blacklistedAt = this.#now();
      return;
    }
    const delay = this.#o.retryDelaysMs[attempt];
    if (delay === undefined || this.#stop.signal.aborted) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#deliver(sub, payload, attempt + 1);
    }, delay);
    this.#timers.add(timer);
  }
}
