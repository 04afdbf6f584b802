import { type HTTPError, isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import type { ApiError } from '../errors/api-error.js';
import { apiErrorFromBody } from '../errors/api-error-body.js';
import { toNetworkError } from '../errors/network-error.js';
import { isRcError } from '../errors/rc-error.js';
import { secretsOfRequest } from '../errors/request-secrets.js';
import { retryAfterOf } from '../rate-limit/headers.js';
import type { Plugin } from '../types.js';

const TIMED_OUT = Object.assign(new Error('the request timed out'), { name: 'TimeoutError' });

/**
 * Reads RingCentral's REST error body (`errorCode`, `message`, `errors[]`) into an ApiError. Its
 * `retryAfter` (seconds) is the reply's `Retry-After` as the rate limiter and the retry policy read
 * it (seconds or an HTTP date against `now`, bounded): one reading of it for all three.
 */
function toApiError(error: HTTPError, secrets: readonly (string | undefined)[], now: number): ApiError {
  const { response, request } = error;
  const retryAfterMs = retryAfterOf(response.headers, now);
  // ky 2 has read the body already (bounded in size and time): JSON when the reply said so, else text.
  return apiErrorFromBody({
    status: response.status,
    statusText: response.statusText,
    method: request.method,
    url: request.url,
    data: error.data,
    requestId: response.headers.get('rcrequestid') ?? undefined,
    retryAfter: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
    secrets,
  });
}

/**
 * Maps ky's errors to ours: `HTTPError` to `ApiError`, ky's `TimeoutError` and `NetworkError` to a
 * `NetworkError` (whose URL is redacted: ky's messages quote the whole URL, query secrets
 * included). ky 2 runs `beforeError` once, after it is done retrying, so this never stands in the
 * way of a retry. Always the last beforeError hook: the user's hooks see ky's own errors first.
 */
export function errorsPlugin(
  /** The access token each response's request carried (set by the auth plugin). */
  sent: WeakMap<Response, string>,
  /** The client's clock (an HTTP-date `Retry-After` is read against it). */
  now: () => number,
): Plugin {
  return {
    name: 'errors',
    hooks: {
      beforeError: [
        ({ error, request, options }) => {
          // A hostile or careless server may echo the token it was sent, or a secret the request
          // carried (named by the caller with requestSecrets()), in a shape no generic rule
          // catches: those are scrubbed by value.
          const own = secretsOfRequest(options.context);
          if (isHTTPError(error)) return toApiError(error, [sent.get(error.response), ...own], now());
          // ky's messages quote the whole URL; only the reason (ECONNREFUSED, ...) is kept.
          if (isTimeoutError(error)) return toNetworkError(TIMED_OUT, request.method, request.url, true);
          // Ours already (the token manager's timeout, thrown from the auth wrapper): typed and
          // safe as it is. ky 2's isNetworkError() goes by the name, so ours would be wrapped again.
          if (isRcError(error)) return error;
          if (isNetworkError(error))
            return toNetworkError(error.cause, request.method, request.url, undefined, own);
          return error;
        },
      ],
    },
  };
}
