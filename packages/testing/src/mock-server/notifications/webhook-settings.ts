// The WebHook deliverer's options (startMockServer({ webhooks })), their defaults and checks,
// kept apart from options.ts so that file only names and calls them.
import type { MockWebhookStats } from '../types/notifications.js';

/** How the mock delivers webhooks (ms; small values make fast tests). */
export interface MockWebhookOptions {
  /** How long the address has to echo the `Validation-Token` when a subscription is created; later is `SUB-525`. @default 3000 */
  validationTimeoutMs?: number;
  /** How long a delivery may take to be answered before it counts as failed. @default 3000 */
  deliveryTimeoutMs?: number;
  /** Delays before each redelivery of a failed notification (same uuid); its length is the number of retries (`[]`: none). The mock's model: RingCentral documents no redelivery. @default [1000, 5000, 30000] */
  retryDelaysMs?: number[];
  /** Failed deliveries in a row after which the subscription is `Blacklisted` (no more deliveries). @default 5 */
  blacklistAfter?: number;
}

export type WebhookSettings = Required<MockWebhookOptions>;

const DEFAULTS: WebhookSettings = {
  validationTimeoutMs: 3000,
  deliveryTimeoutMs: 3000,
  retryDelaysMs: [1000, 5000, 30_000],
  blacklistAfter: 5,
};

const positiveMs = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 2 ** 31 - 1;

export function resolveWebhookSettings(value: MockWebhookOptions | undefined): WebhookSettings {
  const fail = (option: string, what: string): never => {
    throw new Error(`startMockServer: option "webhooks.${option}" ${what}`);
  };
  if (value === undefined) return { ...DEFAULTS, retryDelaysMs: [...DEFAULTS.retryDelaysMs] };
  if (typeof value !== 'object' || value === null) fail('', 'must be an object');
  const out = { ...DEFAULTS, retryDelaysMs: [...DEFAULTS.retryDelaysMs] };
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key === 'validationTimeoutMs' || key === 'deliveryTimeoutMs') {
      if (!positiveMs(v)) fail(key, 'must be a positive number of ms');
      out[key] = v as number;
    } else if (key === 'retryDelaysMs') {
      if (!Array.isArray(v) || v.length > 20 || !v.every((d) => d === 0 || positiveMs(d)))
        fail(key, 'must be an array of at most 20 delays in ms');
      out.retryDelaysMs = [...(v as number[])];
    } else if (key === 'blacklistAfter') {
      if (!Number.isInteger(v) || (v as number) < 1) fail(key, 'must be a whole number >= 1');
      out.blacklistAfter = v as number;
    } else fail(key, `is not an option (${Object.keys(DEFAULTS).join(', ')})`);
  }
  return out;
}

/** Fresh WebHook counters (`mock.webhooks.stats`), shared by the resource and the deliverer. */
export function createWebhookStats(): MockWebhookStats {
  return {
    created: 0,
    renewed: 0,
    deleted: 0,
    handshakesFailed: 0,
    deliveries: 0,
    failedDeliveries: 0,
    blacklisted: 0,
  };
}
