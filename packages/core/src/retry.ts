// The client's retry policy over ky's: which failures are retried and how long their waits may
// add up to, so that a retry never lands in a rate-limit penalty nor holds a call for an hour.

import { isHTTPError, type Options, type RetryOptions } from 'ky';
import { NetworkError } from './errors/network-error.js';
import { isRcError } from './errors/rc-error.js';
import { retryAfterOf } from './rate-limit/headers.js';

/** ky's own backoff before retry `n` (0.3 s doubling), as it computes it when no `delay` is given. */
const kyBackoff = (n: number) => 0.3 * 2 ** (n - 1) * 1000;

/** The statuses whose `Retry-After` ky honours (its `afterStatusCodes` default). */
const KY_AFTER_STATUS_CODES = [413, 429, 503];

/** What the retry policy is made from: the user's `retry`, and the client's limiter, timeout and clock. */
export interface RetryContext {
  /** The user's ky `retry` option. */
  retry: Options['retry'];
  /** The rate limiter's `maxWaitMs`: a 429 asking for a longer wait is not retried. */
  maxWaitMs: number;
  /** The client's per-attempt `timeout` (false: none). */
  timeoutMs: number | false;
  /** The client's clock (`createClient({ now })`), as the token manager's. */
  now: () => number;
}

/**
 * ky's retry options with our bounds. Errors of the token flow are never retried (a failed refresh
 * must not run thrice); a 429 is retried after its `Retry-After` (outside ky's timeout) unless that
 * is longer than `maxRetryAfter`: ky 2 would then retry after `maxRetryAfter`, early, and an early
 * retry restarts RingCentral's penalty.
 *
 * The waits between one call's retries after a 5xx (its `Retry-After`, or ky's backoff) total at
 * most `timeoutMs` (the client's `timeout`, 10 s by default; `maxRetryAfter` when it is false). A
 * wait that does not fit in what is left is not made: the call fails at once with the 5xx's
 * ApiError (whose `retryAfter` says when to come back), rather than being held for an hour's
 * `Retry-After` capped to a minute per retry. `now` is the client's clock (an HTTP-date
 * `Retry-After` is read against it).
 */
export function retryOptions({ retry: user, maxWaitMs, timeoutMs, now }: RetryContext): RetryOptions {
  const given: RetryOptions = typeof user === 'number' ? { limit: user } : (user ?? {});
  const userShouldRetry = given.shouldRetry;
  const maxRetryAfter = given.maxRetryAfter ?? maxWaitMs;
  const backoffLimit = given.backoffLimit ?? 10_000;
  const budget = timeoutMs === false ? maxRetryAfter : timeoutMs;
  const afterStatusCodes = given.afterStatusCodes ?? KY_AFTER_STATUS_CODES;
  // The waits spent so far, per call (ky hands every attempt of one call the same `context`).
  const waited = new WeakMap<object, number>();
  return {
    limit: 2,
    ...given,
    backoffLimit,
    maxRetryAfter,
    shouldRetry: async (state) => {
      const error = state.error;
      if (isRcError(error)) {
        // Among our errors only a network failure of the request itself may be retried: the auth
        // plugin reports it as our NetworkError (ky retries only its own kind by default).
        if (!(error instanceof NetworkError) || error.timeout) return false;
        return userShouldRetry?.(state) ?? true;
      }
      if (!isHTTPError(error)) return userShouldRetry?.(state);
      const status = error.response.status;
      const after = retryAfterOf(error.response.headers, now());
      if (status === 429)
        return after !== undefined && after > maxRetryAfter ? false : userShouldRetry?.(state);
      const decided = await userShouldRetry?.(state);
      if (decided === false || status < 500) return decided;
      // The wait ky will make: Retry-After where it honours one, else its backoff (bounded).
      const wait =
        after !== undefined && decided === undefined && afterStatusCodes.includes(status)
          ? after
          : Math.min(backoffLimit, given.delay?.(state.retryCount) ?? kyBackoff(state.retryCount));
      const key: unknown = error.options?.context;
      const spent = (typeof key === 'object' && key !== null && waited.get(key)) || 0;
      if (spent + wait > budget) return false;
      if (typeof key === 'object' && key !== null) waited.set(key, spent + wait);
      return decided;
    },
  };
}
