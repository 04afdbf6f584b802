import { scrub } from '../redact.js';
import { type ErrorCode, ErrorCodes } from './codes.js';
import { RcError } from './rc-error.js';

/** What {@link OAuthError}'s constructor takes: the parsed OAuth error reply. */
export interface OAuthErrorInit {
  /** HTTP status of the token endpoint's reply; 0 when there was no reply. */
  status?: number;
  /** The OAuth `error` field, e.g. `invalid_grant`. */
  error: string;
  /** The OAuth `error_description`. */
  errorDescription?: string;
  /** RingCentral's `errors[0].errorCode`, e.g. `OAU-140`. */
  errorCode?: string;
  /** A more specific stable code (`RC_STATE_MISMATCH`, `RC_NO_CODE`); default `RC_OAUTH`. */
  code?: ErrorCode;
  /** The underlying error, already made safe (see `safeCause`): never one carrying a secret. */
  cause?: unknown;
}

/** The OAuth server refused a request, or its reply could not be read as a token. */
export class OAuthError extends RcError {
  override name = 'OAuthError';
  /** HTTP status of the token endpoint's reply; 0 when there was no reply. */
  readonly status: number;
  /** The OAuth `error` field (RFC 6749 §5.2), e.g. `invalid_grant`, `invalid_client`. */
  readonly error: string;
  /** The OAuth `error_description`, when given. */
  readonly errorDescription: string | undefined;
  /** RingCentral's `errors[0].errorCode`, e.g. `OAU-140`, when given. */
  readonly errorCode: string | undefined;

  constructor(init: OAuthErrorInit) {
    const detail = init.errorDescription ? `: ${init.errorDescription}` : '';
    const status = init.status ? ` (HTTP ${init.status})` : '';
    super(init.code ?? ErrorCodes.OAUTH, `OAuth error ${init.error}${status}${detail}`, {
      cause: init.cause,
    });
    this.status = init.status ?? 0;
    this.error = scrub(init.error);
    this.errorDescription = init.errorDescription === undefined ? undefined : scrub(init.errorDescription);
    this.errorCode = init.errorCode === undefined ? undefined : scrub(init.errorCode);
  }
}
