import { scrub, scrubValue } from '../redact.js';
import { ErrorCodes } from './codes.js';
import type { ApiErrorDetail } from './error-body.js';
import { RcError } from './rc-error.js';

export type { ApiErrorDetail } from './error-body.js';

export interface ApiErrorInit {
  status: number;
  message: string;
  errorCode?: string;
  requestId?: string;
  errors?: ApiErrorDetail[];
  method?: string;
  /** The request URL with secret-looking query values removed. */
  url?: string;
  /** Seconds the server asked to wait (429), when given. */
  retryAfter?: number;
}

/** The REST API answered with an error status. Holds no request or response object (no headers, no tokens). */
export class ApiError extends RcError {
  override name = 'ApiError';
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: ApiErrorDetail[];
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(init: ApiErrorInit) {
    super(ErrorCodes.API, init.message);
    this.status = init.status;
    this.errorCode = init.errorCode === undefined ? undefined : scrub(init.errorCode);
    this.requestId = init.requestId;
    this.errors = (scrubValue(init.errors ?? []) as ApiErrorDetail[]) ?? [];
    this.method = init.method;
    this.url = init.url;
    this.retryAfter = init.retryAfter;
  }
}
