export type {
  ApiMethod,
  ApiOptions,
  ApiPath,
  ApiRecord,
  ApiResponse,
  ApiTypes,
  EventBody,
  EventTypes,
  LooseRequestOptions,
  RequestOptions,
} from './api-types.js';
export type { BatchGetOptions, BatchResult } from './batch/batch-get.js';
export type { MultipartLimits, MultipartPart } from './batch/multipart.js';
export { MultipartError, multipartBoundary, parseMultipart } from './batch/multipart.js';
export { createClient } from './client.js';
export { DEFAULT_REFRESH_SKEW_MS, MAX_BATCH_IDS, SERVER_PRODUCTION, SERVER_SANDBOX } from './constants.js';
export type { ApiErrorInit } from './errors/api-error.js';
export { ApiError } from './errors/api-error.js';
export { AuthRequiredError } from './errors/auth-required-error.js';
export type { ErrorCode } from './errors/codes.js';
export { ErrorCodes } from './errors/codes.js';
export { ConfigError } from './errors/config-error.js';
export type { ApiErrorDetail } from './errors/error-body.js';
export { NetworkError } from './errors/network-error.js';
export type { OAuthErrorInit } from './errors/oauth-error.js';
export { OAuthError } from './errors/oauth-error.js';
export type { RateLimitErrorInit } from './errors/rate-limit-error.js';
export { RateLimitError } from './errors/rate-limit-error.js';
export type { RcErrorOptions } from './errors/rc-error.js';
export { isRcError, RcError } from './errors/rc-error.js';
export { safeCause } from './errors/safe-cause.js';
export { StoreError } from './errors/store-error.js';
export type { ClientEventName, ClientEvents, RateLimitInfo } from './events.js';
export type {
  Observer,
  RateLimitWaitInfo,
  SendInfo,
  TokenRequestInfo,
  TokenRequestKind,
  TokenRequestResult,
  TokenWaitInfo,
} from './observe.js';
export type { ClientOptions, PassThroughOptions } from './options.js';
export type { ListPage, Navigation, PageHooks, PageInfo, PaginateOptions, Paging } from './paginate.js';
export type { ConcurrencyOptions } from './plugins/concurrency.js';
export { concurrency } from './plugins/concurrency.js';
export type { LogEntry, LoggerOptions } from './plugins/logger.js';
export { logger } from './plugins/logger.js';
export type { RateLimitOptions } from './plugins/rate-limit.js';
export { DEFAULT_MAX_WAIT_MS, rateLimit } from './plugins/rate-limit.js';
export { MAX_RATE_LIMIT_MS } from './plugins/rate-limit-headers.js';
export { redactUrl, scrub } from './redact.js';
export type { RcClient, SessionOptions } from './session.js';
export { supportsState } from './state.js';
export type { TokenSetCheck } from './token/check.js';
export { checkTokenSet, isTokenSet, tokenStoreTtl } from './token/check.js';
export type { TokenInput } from './token/parse.js';
export { normalizeTokenInput, parseTokenResponse } from './token/parse.js';
export type { TokenWrite } from './token/store-policy.js';
export { corruptToken, tokenRead, tokenWrite } from './token/store-policy.js';
export type { AuthorizeOptions } from './token/token-manager.js';
export type {
  ClientInfo,
  Grant,
  GrantContext,
  Lease,
  Plugin,
  SharedPenalties,
  StateStore,
  TokenRequestParams,
  TokenSet,
  TokenStore,
} from './types.js';
export type { Attachment, AttachmentContent, MessageBodyOptions } from './upload.js';
export { messageBody } from './upload.js';
export { abortable } from './util/abortable.js';
export { backoffDelay, jitter } from './util/backoff.js';
export { checkOptions, optionNames } from './util/check-options.js';
export { withDeadline } from './util/deadline.js';
export { KeyLock } from './util/key-lock.js';
export type { LeaseElectionOptions } from './util/lease-election.js';
export { LeaseElection, MAX_TIMER_MS } from './util/lease-election.js';
export type { LeaseWrites, LocalLeaseOptions } from './util/local-lease.js';
export { leaseEnded, runWithLocalLease } from './util/local-lease.js';
export { isLoopbackHost } from './util/loopback.js';
export { timingSafeEqual } from './util/timing-safe-equal.js';
