// @rc/core: what an app uses — createClient(), the errors, the plugins it may place, the types of the
// three contracts. The toolkit for authors of stores, grants and extensions is `@rc/core/kit`.
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
export { createClient } from './client.js';
export type { AuthorizeOptions, RcClient, SessionOptions, TokenInput } from './client-types.js';
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
export { StoreError } from './errors/store-error.js';
export type { ClientEventName, ClientEvents, RateLimitInfo } from './events.js';
export type { Attachment, AttachmentContent, MessageBodyOptions } from './multipart/message-body.js';
export { messageBody } from './multipart/message-body.js';
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
export { MAX_RATE_LIMIT_MS } from './rate-limit/headers.js';
export type { RateLimitOptions } from './rate-limit/options.js';
export { DEFAULT_MAX_WAIT_MS } from './rate-limit/options.js';
export { rateLimit } from './rate-limit/plugin.js';
export { redactUrl } from './redact.js';
export type { BudgetSlice, SharedBudget, SharedPenalties, StateStore } from './store-capabilities.js';
export type {
  ClientInfo,
  Grant,
  GrantContext,
  Lease,
  Plugin,
  TokenRequestParams,
  TokenSet,
  TokenStore,
} from './types.js';
