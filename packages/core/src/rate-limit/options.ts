// The rate limiter's options, their defaults and their checks: what `rateLimit()` and
// `createClient({ rateLimit })` accept, apart from the machinery that honours them.

import { ConfigError } from '../errors/config-error.js';
import type { RateLimitInfo } from '../events.js';
import { checkOptions } from '../util/check-options.js';
import { DEFAULT_RETRY_AFTER_MS } from './headers.js';

/**
 * How long one attempt of a request waits at most for its group, by default: one and a half of
 * RingCentral's 60 s windows. A request paced behind an exhausted budget waits for the window the
 * replies report, which ends one window after the reply that said so arrived: later than one window
 * after the request began waiting, by that reply's latency. With a default of one window, such a
 * request failed unsent ("for 60 s more") at RingCentral's real timing; half a window of margin
 * covers a latency of up to 30 s. A 429's penalty (60 s) fits too.
 */
export const DEFAULT_MAX_WAIT_MS = 90_000;

/**
 * Options of {@link rateLimit}, and of `createClient({ rateLimit })`. RingCentral answers 429 with `Retry-After` when a group's limit is hit, and every request during the penalty restarts it.
 * @see https://developers.ringcentral.com/guide/basics/rate-limits
 */
export interface RateLimitOptions {
  /**
   * How long one attempt of a request may wait for its group: for a penalty to end, or for the
   * budget the server reported to renew. A request that would wait longer fails at once with
   * `RateLimitError` and is not sent (sending it would restart the penalty). ky's
   * `retry.maxRetryAfter` is bounded by it too: a 429 asking for a longer wait becomes that error.
   * The default is above one window (RingCentral's are 60 s): the window a reply reports ends one
   * window after that reply, so a request waiting behind an exhausted budget waits a little longer
   * than one window from when it began waiting. Below one window, such requests fail unsent.
   * @default 90_000
   */
  maxWaitMs?: number | undefined;
  /**
   * The penalty assumed when a 429 has no readable `Retry-After` (RingCentral: "wait at least 30 s").
   * @default 30_000
   * @see https://developers.ringcentral.com/guide/basics/rate-limits
   */
  defaultRetryAfterMs?: number | undefined;
  /** Called on every 429, besides the client's `'rateLimited'` event. */
  onRateLimited?: ((info: RateLimitInfo) => void) | undefined;
  /** The clock, in epoch ms. @default the client's `now` (Date.now) */
  now?: (() => number) | undefined;
}

/** {@link RateLimitOptions} checked, with their defaults. */
export interface LimiterSettings {
  readonly maxWaitMs: number;
  readonly defaultRetryAfterMs: number;
  readonly onRateLimited: ((info: RateLimitInfo) => void) | undefined;
  readonly now: () => number;
}

/** Checks `rateLimit()`'s options: a bad one throws `ConfigError` naming it. */
export function resolveRateLimitOptions(options: RateLimitOptions): LimiterSettings {
  checkOptions(options, ['maxWaitMs', 'defaultRetryAfterMs', 'onRateLimited', 'now'], 'rateLimit()');
  const {
    maxWaitMs = DEFAULT_MAX_WAIT_MS,
    defaultRetryAfterMs = DEFAULT_RETRY_AFTER_MS,
    onRateLimited,
    now = Date.now,
  } = options;
  for (const [name, v] of Object.entries({ maxWaitMs, defaultRetryAfterMs })) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      throw new ConfigError(`rateLimit(): \`${name}\` must be a number of ms ≥ 0`, name);
  }
  if (onRateLimited !== undefined && typeof onRateLimited !== 'function')
    throw new ConfigError('rateLimit(): `onRateLimited` must be a function', 'onRateLimited');
  if (typeof now !== 'function') throw new ConfigError('rateLimit(): `now` must be a function', 'now');
  return { maxWaitMs, defaultRetryAfterMs, onRateLimited, now };
}
