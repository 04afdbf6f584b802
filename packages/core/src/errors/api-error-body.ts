import { redactUrl } from '../redact.js';
import { ApiError, type ApiErrorDetail } from './api-error.js';

// The one reader of RingCentral's REST error body (`errorCode`, `message`, `errors[]`): for a
// whole reply (the errors plugin) and for one part of a batch reply (batchGet).

export interface ApiErrorSource {
  status: number;
  statusText?: string;
  method: string;
  url: string;
  /** The error body: text (JSON or not), or the value ky 2 already parsed (`HTTPError.data`). */
  data: unknown;
  requestId?: string | undefined;
  retryAfter?: number | undefined;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** An ApiError from a RingCentral error body; a body that is not JSON leaves the status to speak. */
export function apiErrorFromBody(source: ApiErrorSource): ApiError {
  let parsed = source.data;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // Not JSON (a proxy's HTML page, say): the status alone describes it.
    }
  }
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const errors = Array.isArray(body.errors) ? (body.errors as ApiErrorDetail[]) : [];
  const first = errors[0];
  const url = redactUrl(source.url);
  const detail = str(body.message) ?? str(first?.message) ?? str(body.error_description) ?? source.statusText;
  const errorCode = str(body.errorCode) ?? str(first?.errorCode);
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
    ...(source.retryAfter !== undefined && Number.isFinite(source.retryAfter)
      ? { retryAfter: source.retryAfter }
      : {}),
  });
}
