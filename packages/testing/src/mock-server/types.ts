/**
 * Public types of the mock RingCentral server. Protocol field names (`access_token`, ...) appear
 * only in {@link RawTokenResponse}, which is the wire format the token endpoint returns.
 */

/** An OAuth client (a RingCentral "app") the mock server knows. */
export interface MockClient {
  /** The client id the app sends. */
  clientId: string;
  /** The client secret. Without one the client is public: it authenticates with `client_id` in the body and must use PKCE. */
  clientSecret?: string;
  /**
   * Registered redirect URIs (exact match); with exactly one, the authorize request may leave
   * `redirect_uri` out, as on RingCentral. Without them any http(s) loopback redirect URI is accepted.
   */
  redirectUris?: string[];
  /**
   * Enables the client-credentials grant (RFC 6749 §4.4) for this confidential client: its tokens
   * act as this user. Without it the grant is refused with `unauthorized_client` (`OAU-251`), as
   * RingCentral refuses a grant type an app is not enabled for.
   */
  clientCredentialsUserId?: string;
}

/** A user (a RingCentral extension) who can log in. */
export interface MockUser {
  /** The extension id; numeric strings are returned as numbers in the extension record, as RingCentral does. */
  id: string;
  /** The login name: the main phone number, e.g. `+16505550100`. The email also works as a login name. */
  username: string;
  /** The extension number, e.g. `101`. A login may give it separately or as `username*extension`. */
  extension?: string;
  /** The user's password, for the password grant and the login page. */
  password: string;
  /** The display name, as the extension record shows it. */
  name: string;
  /** The email; it also works as a login name. */
  email?: string;
  /** The account id; default `1`. */
  accountId?: string;
}

/** One rate-limit group's rule, as RingCentral documents it. */
export interface RateLimitRule {
  /** Requests allowed within the window. */
  limit: number;
  /** The window, in seconds. */
  windowSec: number;
  /** How long the group stays blocked after the limit is hit; every request during it restarts it. */
  penaltySec: number;
}

/** RingCentral's rate-limit groups. The token and revoke endpoints are `Auth`. */
export type RateLimitGroup = 'Auth' | 'Light' | 'Medium' | 'Heavy';

/** A latency: a fixed delay in ms, or a uniform random delay in `[min, max]` ms. */
export type MockLatency =
  | number
  | {
      /** The shortest delay, in ms. */
      min: number;
      /** The longest delay, in ms. */
      max: number;
    };

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Port to listen on (127.0.0.1 only). @default 0 (a random free port) */
  port?: number;
  /**
   * The known clients.
   * @default [{ clientId: 'mock-client-id', clientSecret: 'mock-client-secret' }, { clientId: 'mock-public-client' }]
   */
  clients?: MockClient[];
  /**
   * The known users.
   * @default [{ id: '101', username: '+16505550100', extension: '101', password: 'mock-password', name: 'Mock User', email: 'mock.user@example.com', accountId: '1' }]
   */
  users?: MockUser[];
  /** Access token lifetime in seconds when the request asks for none (not clamped). @default 3600 */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds when the request asks for none (not clamped). @default 604800 */
  refreshTokenTtl?: number;
  /**
   * Bounds for a requested `access_token_ttl`/`refresh_token_ttl`: the request's value is clamped to them.
   * @default { accessMin: 600, accessMax: 3600, refreshMax: 604800 } (RingCentral's)
   */
  ttlBounds?: {
    /** The shortest access token lifetime a request may ask for, in seconds. */
    accessMin: number;
    /** The longest access token lifetime a request may ask for, in seconds. */
    accessMax: number;
    /** The longest refresh token lifetime a request may ask for, in seconds. */
    refreshMax: number;
  };
  /** Delay before each answer, in ms. @default 0 */
  latencyMs?: MockLatency;
  /** The clock, in epoch ms; every expiry and rate-limit check uses it (plus `advanceTime`). @default Date.now */
  now?: () => number;
  /**
   * Rate-limit enforcement. `false`: never answer 429, and report no budget (`X-Rate-Limit-Group`, `-Limit` and `-Window`, no `-Remaining`).
   * `true`: RingCentral's defaults (Auth 5/60 s, Light 50/60 s, Medium 40/60 s, Heavy 10/60 s; 60 s penalty).
   * An object: enforced, with the given groups' rules overriding those defaults field by field.
   * @default false
   */
  rateLimits?: boolean | Partial<Record<RateLimitGroup, Partial<RateLimitRule>>>;
  /** Records in the call log (`GET .../call-log`, page-numbered, newest first). @default 100 */
  callLogSize?: number;
  /** Team Messaging chats (`GET /team-messaging/v1/chats`, token-paged). @default 30 */
  chatCount?: number;
  /**
   * Extensions of the account besides the users: ids 101 to 100 + `directorySize`, for presence
   * (single and batched). @default 100
   */
  directorySize?: number;
  /** The WebSocket notification gateway's timings (seconds; fractions allowed, for fast tests). */
  webSocket?: MockWebSocketOptions;
}

/**
 * The WebSocket gateway's settings, sent to clients in `ConnectionDetails` (RingCentral's names).
 * @see https://developers.ringcentral.com/guide/notifications/websockets/session-recovery
 */
export interface MockWebSocketOptions {
  /** How long a dropped session can be recovered with its `wsc` token. @default 180 */
  recoveryTimeoutSec?: number;
  /** A connection that sends nothing (not even a heartbeat) for this long is closed. @default 60 */
  idleTimeoutSec?: number;
  /** Every connection is closed this long after it opened (the session stays recoverable). @default 86400 */
  absoluteTimeoutSec?: number;
  /** How many notifications a session keeps for recovery; older ones make recovery fail. @default 100 */
  recoveryBufferSize?: number;
  /** Lifetime of a `ws_access_token` (`expires_in`). @default 60 */
  tokenTtlSec?: number;
  /** Lifetime of a subscription until renewed with PUT (`expiresIn`). @default 900 */
  subscriptionTtlSec?: number;
}

/** WebSocket gateway counters (in {@link MockStats.webSocket}). */
export interface MockWebSocketStats {
  /** `wstoken` issued. */
  tokens: number;
  /** Connections accepted (with a valid token), ever. */
  connections: number;
  /** Connections open now (silently dropped ones included until they close). */
  open: number;
  /** Recovery attempts (`&wsc=`), by outcome. */
  recoveries: {
    /** Reconnections with `wsc` that kept the session (`recoveryState: 'Successful'`). */
    successful: number;
    /** Reconnections with `wsc` that could not (`recoveryState: 'Failed'`). */
    failed: number;
  };
  /** Subscriptions created over the socket. */
  subscriptions: number;
  /** Notifications emitted (one per matching subscription), sent or buffered. */
  notifications: number;
  /** Heartbeats answered. */
  heartbeats: number;
}

/** Test controls of the WebSocket gateway ({@link MockServer.webSocket}). */
export interface MockWebSocketControls {
  /**
   * Drops every open connection and returns how many: abruptly (TCP reset), or with `silent` the
   * connection stays open but the server never reads or writes on it again (a dead network path
   * that only heartbeats reveal). Either way the session becomes recoverable.
   */
  drop(options?: { silent?: boolean }): number;
  /** The next `times` (default 1) recovery attempts fail with `recoveryState: 'Failed'`. */
  refuseRecovery(times?: number): void;
  /** Connections open and answered now. */
  readonly openConnections: number;
}

/** Request counters. A live object: `resetStats()` zeroes it in place. */
export interface MockStats {
  /** Every HTTP request. */
  requests: number;
  /** By `"METHOD /path"` (no query), e.g. `"POST /restapi/oauth/token"`. */
  byEndpoint: Record<string, number>;
  /** Token endpoint calls by `grant_type`, whatever the outcome. */
  byGrant: Record<string, number>;
  /** By HTTP status sent. */
  byStatus: Record<string, number>;
  /** 429s sent (by the rate limiter or by `failNext`). */
  rateLimited: number;
  /**
   * Requests that arrived while their rate-limit group (for their user, or client for `Auth`) was
   * in a penalty: each got a 429 and restarted the penalty. A client that honours `Retry-After`
   * and pauses the whole group keeps this at the number of requests already in flight when the
   * first 429 came back. Counted only while rate limits are enforced.
   */
  duringPenalty: number;
  /** Calls to the revoke endpoint. */
  revokes: number;
  /** The WebSocket gateway's counters. */
  webSocket: MockWebSocketStats;
}

/** A canned answer for the next matching request(s); see {@link MockServer.failNext}. */
export interface FailRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path to match exactly, without query, e.g. `/restapi/oauth/token`. */
  path: string;
  /** HTTP status to answer with. */
  status: number;
  /** Body: an object is sent as JSON; a string as is. Default: a RingCentral error body for the status. */
  body?: string | object;
  /** Headers to add to the answer. */
  headers?: Record<string, string>;
  /** How many requests it answers. @default 1 */
  times?: number;
  /** Reset the connection instead of answering: the client sees a network error. */
  destroy?: boolean;
  /**
   * Never answer: the request is held open until the client gives up (or the server closes). A
   * token endpoint or proxy that hangs.
   */
  hang?: boolean;
  /** Answer only after this many ms (a slow endpoint), on top of the server's latency. @default 0 */
  delayMs?: number;
  /**
   * A careless server or proxy: the error body quotes what the request sent (its form body and its
   * `Authorization` header) in `message`, `error_description` and `errors[].message`, RingCentral-shaped.
   * Only with an error `status` and no `body`.
   */
  echo?: boolean;
}

/** A token endpoint reply, exactly as it goes over the wire. */
export interface RawTokenResponse {
  /** The access token. */
  access_token: string;
  /** Always `bearer`. */
  token_type: 'bearer';
  /** Access token lifetime, in seconds. */
  expires_in: number;
  /** The refresh token (single-use). */
  refresh_token: string;
  /** Refresh token lifetime, in seconds. */
  refresh_token_expires_in: number;
  /** Space-separated permissions of the app. */
  scope: string;
  /** The extension id of the user. */
  owner_id: string;
  /** The id of this session's endpoint (device). */
  endpoint_id: string;
  /** The login session's id, the same through its refreshes (RingCentral's description requires it). */
  session_id: string;
}

/** Options of {@link MockServer.issueToken}. */
export interface IssueTokenOptions {
  /** @default the default user */
  userId?: string;
  /** @default the default confidential client (else the first client) */
  clientId?: string;
  /** Seconds, not clamped. @default the server's `accessTokenTtl` */
  accessTokenTtl?: number;
  /** Seconds, not clamped. @default the server's `refreshTokenTtl` */
  refreshTokenTtl?: number;
}

/** Options of {@link MockServer.issueJwt}. */
export interface IssueJwtOptions {
  /** The user the credential logs in as. @default the default user */
  userId?: string;
  /**
   * The client ids the credential may be used with, as RingCentral's console can restrict a JWT
   * to chosen apps; any other client gets `invalid_grant`. @default every client
   */
  clientIds?: string[];
  /** Lifetime in seconds on the server clock. @default never expires (as RingCentral allows) */
  expiresInSec?: number;
}

/** A running mock server: where it listens, how to log in to it, its counters and its controls. From {@link startMockServer}. */
export interface MockServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** The first confidential client's id (`''` when there is none). */
  clientId: string;
  /** The first confidential client's secret (`''` when there is none). */
  clientSecret: string;
  /** The first public client's id (`''` when there is none). */
  publicClientId: string;
  /** The first user. */
  user: MockUser;
  /**
   * A JWT credential for the first user, for the JWT bearer grant (`jwtGrant({ jwt: mock.jwt })`):
   * usable by every client, never expiring. Any JWT the mock did not issue is refused with
   * RingCentral's error body (`400 invalid_request`, `OAU-345` "Invalid assertion signature").
   */
  jwt: string;
  /** Issues another JWT credential (another user, bound to chosen clients, expiring). */
  issueJwt(options?: IssueJwtOptions): string;
  /**
   * Revokes a JWT credential issued by this server (as deleting it in the developer console does):
   * logins with it get `invalid_grant` from now on; tokens already issued live on. `false` when it
   * was not a live credential of this server.
   */
  revokeJwt(jwt: string): boolean;
  /** Request counters (a live object). */
  stats: MockStats;
  /** Zeroes every counter of `stats`, in place. */
  resetStats(): void;
  /** Every access token issued so far answers 401 from now on; refresh tokens still work. */
  invalidateAccessTokens(): void;
  /** Every refresh token issued so far gets `invalid_grant` from now on. */
  invalidateRefreshTokens(): void;
  /** Changes the delay before each answer from now on. */
  setLatency(latency: MockLatency): void;
  /** Changes the sizes of the generated lists (the call log and the Team Messaging chats). */
  setListSizes(sizes: { callLog?: number; chats?: number }): void;
  /** Moves the server clock forward by `ms`. */
  advanceTime(ms: number): void;
  /** The next matching request(s) get this canned answer, before any other handling. */
  failNext(rule: FailRule): void;
  /** Drops every pending `failNext` rule: the faults are over. */
  clearFailNext(): void;
  /** A valid token as the token endpoint would return it, with no HTTP call and no stats. */
  issueToken(options?: IssueTokenOptions): RawTokenResponse;
  /**
   * Emits a RingCentral `ServerNotification` for `event` (a path; `~` is the subscriber's account
   * or extension) with `body` to every WebSocket subscription whose event filter matches it, and
   * returns how many. Sessions that are disconnected but recoverable buffer it for recovery.
   * @example server.notify('/restapi/v1.0/account/~/extension/~/message-store', { changes: [] })
   */
  notify(event: string, body: unknown): number;
  /** Controls of the WebSocket gateway. */
  webSocket: MockWebSocketControls;
  /** The query of the last `GET /restapi/oauth/authorize`. */
  lastAuthorizeRequest?: Record<string, string>;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}
