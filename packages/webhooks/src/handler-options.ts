import { ConfigError, type EventBody, type TokenStore } from '@rc/core';
import { checkOptions, optionNames, supportsState } from '@rc/core/kit';
import type { WebhookNotification } from './types.js';

/** Options of {@link webhookHandler}; `F` is the event filters' type (their literals type the bodies). */
export interface WebhookHandlerOptions<F extends string = string> {
  /**
   * The token given to `createWebhook()` (RingCentral sends it in the `Verification-Token` header of
   * every delivery): a delivery without it, or with another, is refused with a 403 and passed on to
   * nobody. `false` accepts deliveries without checking (only for an address nobody else can reach).
   * Compared in constant time; never written to an error or a log.
   * @see https://developers.ringcentral.com/guide/notifications/webhooks/receiving
   */
  verificationToken: string | false;
  /**
   * Called once per notification (a repeated `uuid` is answered 200 and not passed on again). The
   * reply waits for it, up to `replyWithinMs`: resolve → 200; throw or reject → 500, "not
   * acknowledged" (the error goes to `onError`, and the uuid is freed so a repeat is passed on).
   * RingCentral documents no redelivery: a failure does not bring the notification back, and
   * failures or late replies, repeated, get the address blacklisted. So record the notification
   * durably and return (queue slow work), throw only when it could not be recorded, and reconcile
   * through the API after a gap (message-store sync).
   * @see https://developers.ringcentral.com/guide/notifications/webhooks/troubleshooting
   */
  onNotification: (notification: WebhookNotification<EventBody<F>>) => void | Promise<void>;
  /**
   * The event filters subscribed to (the same list as `createWebhook()`'s). Only types the bodies;
   * nothing is checked against it at run time.
   */
  eventFilters?: readonly F[] | undefined;
  /**
   * Where delivered uuids are remembered across processes: the client's store (`rc.store`) when it
   * implements core's `StateStore` (memory, Redis). Without it, de-duplication is per process.
   */
  store?: TokenStore | undefined;
  /**
   * How long the reply waits for `onNotification`, in ms. RingCentral counts a reply later than
   * 3 s as a failed delivery (toward blacklisting the address) and documents no redelivery, so
   * waiting longer gains nothing: when `onNotification` has not settled by then, the handler
   * answers 200 and lets it run on; a failure after that goes to `onError` and frees the uuid (a
   * redelivery, if one comes, is passed on). `false` always waits for the outcome (200 or 500):
   * for a sender that redelivers after a failed reply, as the mock does. On a runtime that stops
   * the work once the reply is sent (some serverless platforms), use `false` or finish the work
   * by other means (a queue).
   * @default 2500
   * @see https://developers.ringcentral.com/guide/notifications/webhooks/troubleshooting
   */
  replyWithinMs?: number | false | undefined;
  /** How long a delivered uuid is remembered, in ms. @default 86400000 (a day) */
  dedupTtlMs?: number | undefined;
  /** A body larger than this is refused with a 413. @default 1048576 (1 MiB) */
  maxBodyBytes?: number | undefined;
  /**
   * Told about a notification that failed (`onNotification` threw, the store failed), after the
   * reply. Never given the verification token.
   */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ResolvedHandlerOptions {
  verificationToken: string | false;
  onNotification: (notification: WebhookNotification) => void | Promise<void>;
  store: (TokenStore & Required<Pick<TokenStore, 'acquireLease' | 'releaseLease' | 'setState'>>) | undefined;
  replyWithinMs: number | false;
  dedupTtlMs: number;
  maxBodyBytes: number;
  onError: (error: unknown) => void;
}

const KNOWN = optionNames<WebhookHandlerOptions>()([
  'verificationToken',
  'onNotification',
  'eventFilters',
  'store',
  'replyWithinMs',
  'dedupTtlMs',
  'maxBodyBytes',
  'onError',
]);

/** A whole number from `min` to `max`, or the default; else a ConfigError naming the option. */
export function wholeNumber(
  fn: string,
  name: string,
  v: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new ConfigError(`${fn}: \`${name}\` must be a whole number from ${min} to ${max}`, name);
  return v;
}

/** `replyWithinMs`: a whole number of ms (setTimeout's range), or `false`. */
function replyWithin(fn: string, v: unknown): number | false {
  if (v === false) return false;
  if (v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 10 && v <= 2 ** 31 - 1))
    return v ?? 2500;
  throw new ConfigError(
    `${fn}: \`replyWithinMs\` must be a whole number from 10 to ${2 ** 31 - 1} (ms), or false to wait for onNotification`,
    'replyWithinMs',
  );
}

/** Checks every option at the call; a bad one throws ConfigError naming it (never quoting the token). */
export function resolveHandlerOptions(options: WebhookHandlerOptions): ResolvedHandlerOptions {
  const fn = 'webhookHandler()';
  checkOptions(options, KNOWN, fn);
  const { verificationToken, onNotification, store, onError } = options;
  if (verificationToken !== false && (typeof verificationToken !== 'string' || verificationToken === ''))
    throw new ConfigError(
      `${fn}: \`verificationToken\` must be the non-empty string given to createWebhook() (or false to accept unverified deliveries)`,
      'verificationToken',
    );
  if (typeof onNotification !== 'function')
    throw new ConfigError(`${fn}: \`onNotification\` must be a function`, 'onNotification');
  if (onError !== undefined && typeof onError !== 'function')
    throw new ConfigError(`${fn}: \`onError\` must be a function`, 'onError');
  if (options.eventFilters !== undefined && !Array.isArray(options.eventFilters))
    throw new ConfigError(`${fn}: \`eventFilters\` must be an array of event paths`, 'eventFilters');
  if (store !== undefined && (typeof store !== 'object' || store === null || !supportsState(store)))
    throw new ConfigError(
      `${fn}: \`store\` must implement core's StateStore (memoryStore(), redisStore()); pass rc.store`,
      'store',
    );
  return {
    verificationToken,
    onNotification: onNotification as ResolvedHandlerOptions['onNotification'],
    store,
    replyWithinMs: replyWithin(fn, options.replyWithinMs),
    dedupTtlMs: wholeNumber(fn, 'dedupTtlMs', options.dedupTtlMs, 1000, 30 * 86_400_000, 86_400_000),
    maxBodyBytes: wholeNumber(fn, 'maxBodyBytes', options.maxBodyBytes, 1024, 64 * 1024 * 1024, 1024 * 1024),
    // A throwing onError must not become an unhandled rejection (the work may outlive the reply).
    onError: (error) => {
      try {
        onError?.(error);
      } catch {
        // the app's reporter failed; nothing here can report that
      }
    },
  };
}
