import { isHTTPError, type Options, type RetryOptions } from 'ky';
import { NetworkError } from './errors/network-error.js';
import { isRcError } from './errors/rc-error.js';

const DEFAULT_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/**
 * ky's retry options with our bounds. Errors of the token flow are never retried (a failed refresh
 * must not run thrice); a 429 is retried after its `Retry-After` (outside ky's timeout) unless that
 * is longer than `maxRetryAfter`: retrying early would restart RingCentral's penalty.
 */
export function retryOptions(user: Options['retry'], maxWaitMs: number): RetryOptions {
  const given: RetryOptions = typeof user === 'number' ? { limit: user } : (user ?? {});
  const userShouldRetry = given.shouldRetry;
  const maxRetryAfter = given.maxRetryAfter ?? maxWaitMs;
  return {
    limit: 2,
    statusCodes: DEFAULT_STATUS_CODES,
    backoffLimit: 10_000,
    ...given,
    maxRetryAfter,
    shouldRetry: (state) => {
      const error = state.error;
      // Only a network failure of the API request itself may be retried among our errors.
      if (isRcError(error) && !(error instanceof NetworkError && !error.timeout)) return false;
      if (isHTTPError(error) && error.response.status === 429) {
        const seconds = Number(error.response.headers.get('retry-after'));
        if (Number.isFinite(seconds) && seconds * 1000 > maxRetryAfter) return false;
      }
      return userShouldRetry?.(state);
    },
  };
}
