/**
 * The running server's face (`MockServer`), its request counters and the token helpers' options.
 * Protocol field names (`access_token`, ...) appear only in {@link RawTokenResponse}, which is the
 * wire format the token endpoint returns.
 */
import type { MockWebhookControls, MockWebSocketControls, MockWebSocketStats } from './notifications.js';
import type { MockLatency, MockUser } from './options.js';
import type { FailRule, MockOverride } from './overrides.js';

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
  userId?: string | undefined;
  /** @default the default confidential client (else the first client) */
  clientId?: string | undefined;
  /** Seconds, not clamped. @default the server's `accessTokenTtl` */
  accessTokenTtl?: number | undefined;
  /** Seconds, not clamped. @default the server's `refreshTokenTtl` */
  refreshTokenTtl?: number | undefined;
}

/** Options of {@link MockServer.issueJwt}. */
export interface IssueJwtOptions {
  /** The user the credential logs in as. @default the default user */
  userId?: string | undefined;
  /**
   * The client ids the credential may be used with, as RingCentral's console can restrict a JWT
   * to chosen apps; any other client gets `invalid_grant`. @default every client
   */
  clientIds?: string[] | undefined;
  /** Lifetime in seconds on the server clock. @default never expires (as RingCentral allows) */
  expiresInSec?: number | undefined;
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
  /**
   * Scripts one operation, like an msw handler: every matching request gets this reply (a body
   * typed by the operation's reply in `@rc/api`, a status, headers, a delay) or the handler's,
   * before authentication and rate limiting, until {@link MockServer.reset}. `{param}` segments
   * of `path` match any value; the newest override of a route wins.
   * @example
   * mock.override('GET', '/restapi/v1.0/account/~/extension/~', { body: { id: 7, name: 'Ada' } });
   * mock.override('POST', '/restapi/v1.0/account/~/extension/{extensionId}/sms', { status: 503, delay: 100 });
   */
  override<M extends string, P extends string>(method: M, path: P, override: MockOverride<M, P>): void;
  /** Drops every override and every pending `failNext` rule: the mock's own behaviour again. */
  reset(): void;
  /** A valid token as the token endpoint would return it, with no HTTP call and no stats. */
  issueToken(options?: IssueTokenOptions): RawTokenResponse;
  /**
   * Emits a RingCentral `ServerNotification` for `event` (a path; `~` is the subscriber's account
   * or extension) with `body` to every WebSocket subscription whose event filter matches it, and
   * returns how many (WebSocket and WebHook subscribers alike). Sessions that are disconnected but
   * recoverable buffer it for recovery; WebHook addresses get it by POST (retried when they fail).
   * @example server.notify('/restapi/v1.0/account/~/extension/~/message-store', { changes: [] })
   */
  notify(event: string, body: unknown): number;
  /** Controls of the WebSocket gateway. */
  webSocket: MockWebSocketControls;
  /** The WebHook subscriptions and their counters. */
  webhooks: MockWebhookControls;
  /** The query of the last `GET /restapi/oauth/authorize`. */
  lastAuthorizeRequest?: Record<string, string>;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}
