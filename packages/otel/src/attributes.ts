// Why this file: the attribute and instrument names in one place. The HTTP ones are OpenTelemetry's
// stable HTTP client semantic conventions (https://opentelemetry.io/docs/specs/semconv/http/), written
// out rather than imported so that the package needs nothing but @opentelemetry/api; the `rc.*` ones
// are ours, for what only RingCentral knows.

/** The attribute names the spans, events and metrics use. */
export const ATTR = {
  /** The HTTP method (`GET`…, or `_OTHER`). */
  httpRequestMethod: 'http.request.method',
  /** The method as sent, when `http.request.method` is `_OTHER`. */
  httpRequestMethodOriginal: 'http.request.method_original',
  /** On a re-send: how many sends of this request came before (a 401's, ky's retries). */
  httpResendCount: 'http.request.resend_count',
  /** The reply's status. */
  httpStatusCode: 'http.response.status_code',
  /** The request URL, secret query values redacted. */
  urlFull: 'url.full',
  /** The operation's path template, e.g. `/restapi/v1.0/account/{accountId}`. */
  urlTemplate: 'url.template',
  /** The server's host name. */
  serverAddress: 'server.address',
  /** The server's port. */
  serverPort: 'server.port',
  /** The status (≥ 400) as a string, or the error's class name. */
  errorType: 'error.type',
  /** RingCentral's operation id from its API description, e.g. `readUserPresenceStatus`. */
  operationId: 'rc.operation.id',
  /** The rate-limit group: the reply's `X-Rate-Limit-Group`, else the description's `x-throttling-group`. */
  rateLimitGroup: 'rc.rate_limit.group',
  /** What is left of the group's budget in its window (`X-Rate-Limit-Remaining`). */
  rateLimitRemaining: 'rc.rate_limit.remaining',
  /** How long a request was held for its group, in ms. */
  rateLimitWaitedMs: 'rc.rate_limit.waited_ms',
  /** `admitted` or `refused` (a `RateLimitError`, the request unsent). */
  rateLimitOutcome: 'rc.rate_limit.outcome',
  /** RingCentral's request id (`RCRequestId`), the one its support asks for. */
  requestId: 'rc.request_id',
  /** `login`, `refresh` or `revoke`. */
  tokenKind: 'rc.token.kind',
  /** The token request's `grant_type` (never a credential). */
  grantType: 'rc.token.grant_type',
  /** `success`, or the OAuth error (`invalid_grant`…), or the error class for other failures. */
  tokenOutcome: 'rc.token.outcome',
  /** What a token wait waited for: `inflight` (this process's refresh or login) or `lock` (the store's lock). */
  tokenWaitReason: 'rc.token.wait.reason',
} as const;

/** Span and event names of the token flow and the rate limiter. */
export const NAMES = {
  /** The span of each token request, by kind. */
  tokenSpan: { login: 'rc.token.login', refresh: 'rc.token.refresh', revoke: 'rc.token.revoke' },
  /** The span of a wait for a token. */
  tokenWaitSpan: 'rc.token.wait',
  /** The event of a rate-limit wait, on the held request's span. */
  rateLimitWaitEvent: 'rc.rate_limit.wait',
} as const;

/** Instrument names. */
export const METRICS = {
  /** Stable HTTP client metric (histogram, seconds). */
  requestDuration: 'http.client.request.duration',
  /** Token refreshes (counter), by outcome. */
  tokenRefreshes: 'rc.token.refreshes',
  /** Rate-limit waits (histogram, seconds), by group and outcome. */
  rateLimitWait: 'rc.rate_limit.wait.duration',
  /** `RateLimitError`s handed to callers (counter), by group. */
  rateLimitErrors: 'rc.rate_limit.errors',
} as const;

/** The buckets OpenTelemetry's HTTP conventions advise for `http.client.request.duration`. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** `http.request.method` as the conventions want it: a known method, else `_OTHER`. */
export const methodOf = (method: string): string => (KNOWN_METHODS.has(method) ? method : '_OTHER');
