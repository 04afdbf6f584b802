import { type HTTPError, isHTTPError, type NormalizedOptions } from 'ky';
import { ApiError, type ApiErrorDetail } from '../errors/api-error.js';
import { redactUrl } from '../redact.js';
import type { Plugin } from '../types.js';

/**
 * Would ky retry this HTTP error? ky calls `beforeError` before deciding, so an error it is about
 * to retry must stay an HTTPError (its retry logic, Retry-After included, only knows HTTPError).
 * This mirrors ky 1.x's rule for HTTP errors; the user's `shouldRetry` is asked the same question.
 */
async function kyWillRetry(error: HTTPError, retryCount: number): Promise<boolean> {
  const retry = (error.options as NormalizedOptions).retry;
  const status = error.response.status;
  if (retryCount + 1 > (retry.limit ?? 2)) return false;
  if (!(retry.methods ?? []).includes(error.request.method.toLowerCase())) return false;
  if (retry.shouldRetry) {
    const verdict = await retry.shouldRetry({ error, retryCount: retryCount + 1 });
    if (verdict !== undefined) return verdict;
  }
  if (!(retry.statusCodes ?? []).includes(status)) return false;
  return status !== 413 || error.response.headers.has('retry-after');
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads RingCentral's REST error body (`errorCode`, `message`, `errors[]`) into an ApiError. */
export async function toApiError(error: HTTPError): Promise<ApiError> {
  const { response, request } = error;
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.clone().text());
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone describes it.
  }
  const errors = Array.isArray(body.errors) ? (body.errors as ApiErrorDetail[]) : [];
  const first = errors[0];
  const url = redactUrl(request.url);
  const detail =
    str(body.message) ?? str(first?.message) ?? str(body.error_description) ?? response.statusText;
  const errorCode = str(body.errorCode) ?? str(first?.errorCode);
  const requestId = response.headers.get('rcrequestid') ?? undefined;
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new ApiError({
    status: response.status,
    message: `${request.method} ${new URL(url).pathname} failed with HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`,
    errors,
    method: request.method,
    url,
    ...(errorCode ? { errorCode } : {}),
    ...(requestId ? { requestId } : {}),
    ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
  });
}

/** Maps ky's HTTPError to ApiError once ky is done retrying. Always the last beforeError hook. */
export function errorsPlugin(): Plugin {
  return {
    name: 'errors',
    hooks: {
      beforeError: [
        async (error, state) => {
          if (!isHTTPError(error)) return error;
          if (await kyWillRetry(error, state?.retryCount ?? 0)) return error;
          return (await toApiError(error)) as unknown as HTTPError;
        },
      ],
    },
  };
}
