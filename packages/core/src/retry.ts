import { isHTTPError, type Options, type RetryOptions } from 'ky';
import { NetworkError } from './errors/network-error.js';
import { isRcError } from './errors/rc-error.js';
import { parseRetryAfter } from './plugins/rate-limit-headers.js';

/**
 * ky's retry options with our bounds. Errors of the token flow are never retried (a failed refresh
 * must not run thrice); a 429 is retried after its `Retry-After` (outside ky's timeout) unless that
 * is longer than `maxRetryAfter`: ky 2 would then retry after `maxRetryAfter`, early, and an early
 * retry restarts RingCentral's penalty.
 */
export function retryOptions(user: Options['retry'], maxWaitMs: number): RetryOptions {
  const given: RetryOptions = typeof user === 'number' ? { limit: user } : (user ?? {});
  const userShouldRetry = given.shouldRetry;
  const maxRetryAfter = given.maxRetryAfter ?? maxWaitMs;
  return {
    limit: 2,
    backoffLimit: 10_000,
    ...given,
    maxRetryAfter,
    shouldRetry: (state) => {
      const error = state.error;
      if (isRcError(error)) {
        // Among our errors only a network failure of the request itself may be retried: the auth
        // plugin reports it as our NetworkError (ky retries only its own kind by default).
        if (!(error instanceof NetworkError) || error.timeout) return false;
        return userShouldRetry?.(state) ?? true;
      }
      if (isHTTPError(error) && error.response.status === 429) {
        const ms = parseRetryAfter(error.response.headers.get('retry-after'), Date.now());
        if (ms !== undefined && ms > maxRetryAfter) return false;
      }
      return userShouldRetry?.(state);
    },
  };
}
