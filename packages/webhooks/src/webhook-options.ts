import { ConfigError } from '@rc/core';
import { checkEventFilters, checkOptions, isLoopbackHost, optionNames } from '@rc/core/kit';
import { wholeNumber } from './handler-options.js';

/** RingCentral's longest WebHook lifetime: 10 years, in seconds. */
export const MAX_EXPIRES_IN = 315_360_000;

/** Options of {@link createWebhook}; `F` is the event filters' type. */
export interface CreateWebhookOptions<F extends string = string> {
  /**
   * The URL RingCentral POSTs to: https (plain http only for a loopback host, e.g. against the mock).
   * It must answer the validation handshake when the subscription is created (`webhookHandler()` does).
   */
  address: string;
  /**
   * The events to receive, as RingCentral event filter paths (`~` is the current account or extension).
   * @example ['/restapi/v1.0/account/~/extension/~/message-store']
   * @see https://developers.ringcentral.com/guide/notifications/event-filters
   */
  eventFilters: F[];
  /**
   * Sent by RingCentral in the `Verification-Token` header of every delivery; give the same to
   * `webhookHandler()`. Never written to an error or a log. Without it deliveries carry no token.
   */
  verificationToken?: string | undefined;
  /**
   * The subscription's lifetime in seconds (RingCentral allows up to 315360000, 10 years). It is
   * renewed before it ends.
   * @default 604800 (7 days)
   */
  expiresIn?: number | undefined;
  /**
   * Where the webhook's state (subscription id, expiry) is kept in the client's store, and the name
   * of the lease that elects one renewer among processes.
   * @default `webhook:<the client's session key>:<address>`
   */
  key?: string | undefined;
  /** How long the renewer's lease lasts without renewal, in ms; a dead renewer is replaced within about this. @default 10000 */
  leaseTtlMs?: number | undefined;
  /** How long before expiry the subscription is renewed, in ms (at most half its lifetime). @default 3600000 */
  renewBeforeMs?: number | undefined;
  /**
   * How often the renewer asks RingCentral for the subscription's status, in ms, to recreate it
   * when it was blacklisted (an address that kept failing) or is gone.
   * @default 300000
   */
  checkIntervalMs?: number | undefined;
  /** Told about failures of the background work (a renewal, a check, a recreation); it retries with backoff. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ResolvedWebhookOptions {
  address: string;
  eventFilters: string[];
  verificationToken: string | undefined;
  expiresIn: number;
  key: string | undefined;
  leaseTtlMs: number;
  renewBeforeMs: number;
  checkIntervalMs: number;
  onError: (error: unknown) => void;
}

const KNOWN = optionNames<CreateWebhookOptions>()([
  'address',
  'eventFilters',
  'verificationToken',
  'expiresIn',
  'key',
  'leaseTtlMs',
  'renewBeforeMs',
  'checkIntervalMs',
  'onError',
]);

const FN = 'createWebhook()';

/** Checks every option at the call; a bad one throws ConfigError naming it (never quoting the token). */
export function resolveWebhookOptions(options: CreateWebhookOptions): ResolvedWebhookOptions {
  checkOptions(options, KNOWN, FN);
  const { address, verificationToken, key, onError } = options;
  const url = typeof address === 'string' && URL.canParse(address) ? new URL(address) : undefined;
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))))
    throw new ConfigError(
      `${FN}: \`address\` must be an https URL (plain http only on a loopback host)`,
      'address',
    );
  if (
    verificationToken !== undefined &&
    (typeof verificationToken !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(verificationToken))
  )
    throw new ConfigError(
      `${FN}: \`verificationToken\` must be 1 to 64 printable ASCII characters without spaces`,
      'verificationToken',
    );
  if (key !== undefined && (typeof key !== 'string' || key === ''))
    throw new ConfigError(`${FN}: \`key\` must be a non-empty string`, 'key');
  if (onError !== undefined && typeof onError !== 'function')
    throw new ConfigError(`${FN}: \`onError\` must be a function`, 'onError');
  const ms = (name: 'leaseTtlMs' | 'renewBeforeMs' | 'checkIntervalMs', fallback: number) =>
    wholeNumber(FN, name, options[name], 10, 2 ** 31 - 1, fallback);
  return {
    address: url.href,
    eventFilters: checkEventFilters(options.eventFilters, FN),
    verificationToken,
    expiresIn: wholeNumber(FN, 'expiresIn', options.expiresIn, 1, MAX_EXPIRES_IN, 604_800),
    key,
    leaseTtlMs: ms('leaseTtlMs', 10_000),
    renewBeforeMs: ms('renewBeforeMs', 3_600_000),
    checkIntervalMs: ms('checkIntervalMs', 300_000),
    onError: onError ?? (() => {}),
  };
}
