/**
 * The options of `startMockServer()` and the records they are made of (clients, users, rate-limit
 * rules, latency, the WebSocket gateway's timings), apart from the server's face so that a reader
 * choosing options finds them on one sheet.
 */
import type { MockWebhookOptions } from '../notifications/webhook-settings.js';

/** An OAuth client (a RingCentral "app") the mock server knows. */
export interface MockClient {
  /** The client id the app sends. */
  clientId: string;
  /** The client secret. Without one the client is public: it authenticates with `client_id` in the body and must use PKCE. */
  clientSecret?: string | undefined;
  /**
   * Registered redirect URIs (exact match); with exactly one, the authorize request may leave
   * `redirect_uri` out, as on RingCentral. Without them any http(s) loopback redirect URI is accepted.
   */
  redirectUris?: string[] | undefined;
  /**
   * Enables the client-credentials grant (RFC 6749 §4.4) for this confidential client: its tokens
   * act as this user. Without it the grant is refused with `unauthorized_client` (`OAU-251`), as
   * RingCentral refuses a grant type an app is not enabled for.
   */
  clientCredentialsUserId?: string | undefined;
}

/** A user (a RingCentral extension) who can log in. */
export interface MockUser {
  /** The extension id; numeric strings are returned as numbers in the extension record, as RingCentral does. */
  id: string;
  /** The login name: the main phone number, e.g. `+16505550100`. The email also works as a login name. */
  username: string;
  /** The extension number, e.g. `101`. A login may give it separately or as `username*extension`. */
  extension?: string | undefined;
  /** The user's password, for the password grant and the login page. */
  password: string;
  /** The display name, as the extension record shows it. */
  name: string;
  /** The email; it also works as a login name. */
  email?: string | undefined;
  /** The account id; default `1`. */
  accountId?: string | undefined;
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
  port?: number | undefined;
  /**
   * The known clients.
   * @default [{ clientId: 'mock-client-id', clientSecret: 'mock-client-secret' }, { clientId: 'mock-public-client' }]
   */
  clients?: MockClient[] | undefined;
  /**
   * The known users.
   * @default [{ id: '101', username: '+16505550100', extension: '101', password: 'mock-password', name: 'Mock User', email: 'mock.user@example.com', accountId: '1' }]
   */
  users?: MockUser[] | undefined;
  /** Access token lifetime in seconds when the request asks for none (not clamped). @default 3600 */
  accessTokenTtl?: number | undefined;
  /** Refresh token lifetime in seconds when the request asks for none (not clamped). @default 604800 */
  refreshTokenTtl?: number | undefined;
  /**
   * Bounds for a requested `access_token_ttl`/`refresh_token_ttl`: the request's value is clamped to them.
   * @default { accessMin: 600, accessMax: 3600, refreshMax: 604800 } (RingCentral's)
   */
  ttlBounds?:
    | {
        /** The shortest access token lifetime a request may ask for, in seconds. */
        accessMin: number;
        /** The longest access token lifetime a request may ask for, in seconds. */
        accessMax: number;
        /** The longest refresh token lifetime a request may ask for, in seconds. */
        refreshMax: number;
      }
    | undefined;
  /** Delay before each answer, in ms. @default 0 */
  latencyMs?: MockLatency | undefined;
  /** The clock, in epoch ms; every expiry and rate-limit check uses it (plus `advanceTime`). @default Date.now */
  now?: (() => number) | undefined;
  /**
   * Rate-limit enforcement. `false`: never answer 429, and report no budget (`X-Rate-Limit-Group`, `-Limit` and `-Window`, no `-Remaining`).
   * `true`: RingCentral's defaults (Auth 5/60 s, Light 50/60 s, Medium 40/60 s, Heavy 10/60 s; 60 s penalty).
   * An object: enforced, with the given groups' rules overriding those defaults field by field.
   * @default false
   */
  rateLimits?: boolean | Partial<Record<RateLimitGroup, Partial<RateLimitRule>>> | undefined;
  /** Records in the call log (`GET .../call-log`, page-numbered, newest first). @default 100 */
  callLogSize?: number | undefined;
  /** Team Messaging chats (`GET /team-messaging/v1/chats`, token-paged). @default 30 */
  chatCount?: number | undefined;
  /**
   * Extensions of the account: ids 101 to 100 + `directorySize` (a user whose id is in that range is
   * that extension), plus the users outside it. They are the extension list, the records read by id
   * and presence (single and batched); a `PUT` to an extension or its presence is kept. @default 100
   */
  directorySize?: number | undefined;
  /** The WebSocket notification gateway's timings (seconds; fractions allowed, for fast tests). */
  webSocket?: MockWebSocketOptions | undefined;
  /** How WebHook subscriptions are validated, delivered, retried and blacklisted (ms). */
  webhooks?: MockWebhookOptions | undefined;
}

/**
 * The WebSocket gateway's settings, sent to clients in `ConnectionDetails` (RingCentral's names).
 * @see https://developers.ringcentral.com/guide/notifications/websockets/session-recovery
 */
export interface MockWebSocketOptions {
  /** How long a dropped session can be recovered with its `wsc` token. @default 180 */
  recoveryTimeoutSec?: number | undefined;
  /** A connection that sends nothing (not even a heartbeat) for this long is closed. @default 60 */
  idleTimeoutSec?: number | undefined;
  /** Every connection is closed this long after it opened (the session stays recoverable). @default 86400 */
  absoluteTimeoutSec?: number | undefined;
  /** How many notifications a session keeps for recovery; older ones make recovery fail. @default 100 */
  recoveryBufferSize?: number | undefined;
  /** Lifetime of a `ws_access_token` (`expires_in`). @default 60 */
  tokenTtlSec?: number | undefined;
  /** Lifetime of a subscription until renewed with PUT (`expiresIn`). @default 900 */
  subscriptionTtlSec?: number | undefined;
}
