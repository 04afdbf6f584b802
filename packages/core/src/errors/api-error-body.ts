import { scrub, scrubUrl, scrubValue } from '../redact.js';
import { ApiError } from './api-error.js';
import { readErrorBody } from './error-body.js';

// The ApiError of a failed REST reply: for a whole reply (the errors plugin), for one part of a
// batch reply (batchGet), and for a reply whose body is not what it claims (malformedReply). The
// body itself is read by errors/error-body.ts, the one reader of RingCentral's error bodies (OAuth
// and REST alike).

export interface ApiErrorSource {
  status: number;
  statusText?: string;
  method: string;
  url: string;
  /** The error body: text (JSON or not), or the value ky 2 already parsed (`HTTPError.data`). */
  data: unknown;
  requestId?: string | undefined;
  /** Seconds, as read by the one `Retry-After` reader (rate-limit/headers.ts). */
  retryAfter?: number | undefined;
  /**
   * Secrets of this request the body may echo (the access token sent): removed in every
   * rendering before anything is read, whatever their shape.
   */
  secrets?: readonly (string | undefined)[];
}

/**
 * An ApiError from a RingCentral error body, read by the one error-body reader (`readErrorBody`,
 * which also scrubs what it returns); a body that is not JSON leaves the status to speak.
 */
export function apiErrorFromBody(source: ApiErrorSource): ApiError {
  const data = source.secrets?.length ? scrubValue(source.data, source.secrets) : source.data;
  const { description, errorCode, errors } = readErrorBody(data);
  const url = scrubUrl(source.url, source.secrets);
  // The status line is the server's words too: scrubbed of the same secrets as the body.
  const statusText =
    source.statusText && source.secrets?.length
      ? scrub(source.statusText, source.secrets)
      : source.statusText;
  const detail = description ?? statusText;
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // a relative URL is shown as is
  }
  return new ApiError({
    status: source.status,
    message: `${source.method} ${pathname} failed with HTTP ${source.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`,
    errors,
    method: source.method,
    url,
    ...(errorCode ? { errorCode } : {}),
    ...(source.requestId ? { requestId: source.requestId } : {}),
    ...(source.retryAfter !== undefined ? { retryAfter: source.retryAfter } : {}),
  });
}

/**
 * The ApiError of a reply whose body could not be read as what it claims (a 2xx whose JSON is
 * broken, a batch reply that is not the multipart it should be): its status and request id, and
 * `what` went wrong. It quotes nothing of the body, which may hold anything (a token, say).
 */
export function malformedReply(response: Response, method: string, url: string, what: string): ApiError {
  return apiErrorFromBody({
    status: response.status,
    statusText: what,
    method,
    url,
    data: '',
    requestId: response.headers.get('rcrequestid') ?? undefined,
  });
}
