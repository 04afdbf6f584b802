import { scrub, scrubUrl, scrubValue } from '../redact.js';
import { ErrorCodes } from './codes.js';
import type { ApiErrorDetail } from './error-body.js';
import { RcError } from './rc-error.js';

export type { ApiErrorDetail } from './error-body.js';

/** What {@link ApiError}'s constructor takes: the parsed parts of an error reply. */
export interface ApiErrorInit {
  /** The HTTP status of the reply. */
  status: number;
  /** A message for people: method, path, status, `errorCode` and RingCentral's `message` (never a secret). */
  message: string;
  /** RingCentral's `errorCode` (e.g. `CMN-102`, `CMN-301` for a rate limit), when the body has one. */
  errorCode?: string;
  /** The `RCRequestId` response header: quote it to RingCentral support. */
  requestId?: string;
  /** RingCentral's `errors[]` entries, when the body has them. */
  errors?: ApiErrorDetail[];
  /** The request method. */
  method?: string;
  /** The request URL with secret-looking query values removed. */
  url?: string;
  /** Seconds the server asked to wait (429), when given. */
  retryAfter?: number;
}

/**
 * The REST API answered with an error status, or with a body that is not what it claims (JSON that
 * does not parse). Holds no request or response object (no headers, no tokens) and nothing of the body.
 */
export class ApiError extends RcError {
  /** Always `'ApiError'`. */
  override name = 'ApiError';
  /** The HTTP status of the reply: 4xx or 5xx, or a 2xx whose body is malformed (not valid JSON, a broken batch reply). */
  readonly status: number;
  /** RingCentral's `errorCode` (e.g. `CMN-102`), when the body has one. */
  readonly errorCode: string | undefined;
  /** The `RCRequestId` response header: quote it to RingCentral support. */
  readonly requestId: string | undefined;
  /** RingCentral's `errors[]` entries; empty when the body has none. */
  readonly errors: ApiErrorDetail[];
  /** The request method. */
  readonly method: string | undefined;
  /** The request URL with secret-looking query values removed. */
  readonly url: string | undefined;
  /**
   * Seconds the reply asked to wait (`Retry-After`: seconds, or an HTTP date read against the
   * client's clock; at most an hour is believed), when it gave a readable one. A 429 without one
   * means at least 30 s at RingCentral.
   */
  readonly retryAfter: number | undefined;

  constructor(init: ApiErrorInit) {
    super(ErrorCodes.API, init.message);
    this.status = init.status;
    this.errorCode = init.errorCode === undefined ? undefined : scrub(init.errorCode);
    this.requestId = init.requestId;
    this.errors = (scrubValue(init.errors ?? []) as ApiErrorDetail[]) ?? [];
    this.method = init.method;
    this.url = init.url === undefined ? undefined : scrubUrl(init.url);
    this.retryAfter = init.retryAfter;
  }
}
