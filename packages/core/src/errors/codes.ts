/**
 * Every stable error code the `@rc` packages use, in one place. `err.code` is one of these; match on it rather
 * than on messages, which may change.
 */
export const ErrorCodes = {
  /** A bad option or call: fix the code. */
  CONFIG: 'RC_CONFIG',
  /** The OAuth server refused a token request (or sent a malformed reply). */
  OAUTH: 'RC_OAUTH',
  /** The REST API answered with an error status. */
  API: 'RC_API',
  /** No usable token and no unattended grant to get one: a person must log in. */
  AUTH_REQUIRED: 'RC_AUTH_REQUIRED',
  /** The token store failed (unreachable, timed out, corrupt value). */
  STORE: 'RC_STORE',
  /** The `state` of an authorization callback did not match. */
  STATE_MISMATCH: 'RC_STATE_MISMATCH',
  /** An authorization callback carried no `code`. */
  NO_CODE: 'RC_NO_CODE',
  /** The concurrency plugin's queue is full. */
  QUEUE_FULL: 'RC_QUEUE_FULL',
  /** A request could not be sent or got no answer (network error, timeout). */
  NETWORK: 'RC_NETWORK',
  /** A push-notification subscription failed (WebSocket gateway error, lost connection, bad reply). */
  SUBSCRIPTION: 'RC_SUBSCRIPTION',
  /** A WebHook subscription failed (creation refused, `SUB-525`, renewal or recreation failed). */
  WEBHOOK: 'RC_WEBHOOK',
  /** A request was not sent: its rate-limit group is paused for longer than `maxWaitMs`. */
  RATE_LIMIT: 'RC_RATE_LIMIT',
} as const;

/** One of the values of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
