// The options of `createClient()`, each documented: the sheet an app reads. Their checks are in
// client-options/ (resolve.ts reads them into ResolvedOptions, the client's own settings).
import type { RateLimitOptions } from './rate-limit/options.js';
import type { Grant, Plugin, TokenStore } from './types.js';
import type { PassThroughOptions } from './util/request-options.js';

export type { PassThroughOptions };

export interface ClientOptions extends PassThroughOptions {
  /**
   * The API server: `SERVER_PRODUCTION`, `SERVER_SANDBOX`, or a mock server's URL.
   * @example SERVER_SANDBOX
   */
  server: string;
  /** The app's client id (RingCentral developer console → app → credentials). */
  clientId: string;
  /**
   * The app's client secret, for confidential (server-side) apps; sent as HTTP Basic. Leave it out
   * in browsers and mobile apps: the client then sends `client_id` in the body and uses PKCE.
   */
  clientSecret?: string | undefined;
  /** The default OAuth redirect URI (authorization-code flow). */
  redirectUri?: string | undefined;
  /**
   * An unattended grant (password, JWT) for the default session: used when no token is stored,
   * and again when the refresh token is dead.
   */
  grant?: Grant | undefined;
  /**
   * Where tokens live. @default a private in-memory slot of this client
   */
  store?: TokenStore | undefined;
  /** The store key of the default session. @default 'default' */
  sessionKey?: string | undefined;
  /** Plugins, in order: their hooks run in this order and their fetch wrappers nest in it (first is outermost). */
  plugins?: Plugin[] | undefined;
  /**
   * Refresh this long before the access token expires; never more than half the token's lifetime.
   * @default 60_000
   */
  refreshSkewMs?: number | undefined;
  /** Allow plain http to hosts other than loopback (never do this in production). @default false */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Other origins that may receive the access token: media servers that serve content (recordings,
   * fax, voicemail) for `server`, requested with a full URL (`rc.get(contentUri)`). RingCentral's are
   * built in (`platform.ringcentral.com` → `media.ringcentral.com`, `platform.devtest.ringcentral.com`
   * → `media.devtest.ringcentral.com`); any other origin is refused before anything is sent.
   * @default [] (besides the built-in pair)
   * @example mediaServers: ['https://media.example.com']
   */
  mediaServers?: string[] | undefined;
  /**
   * The built-in rate-limit handling (see `rateLimit()`); `false` turns it off. A `rateLimit()`
   * placed in `plugins` replaces it (then give its options to that plugin).
   * @default {}
   */
  rateLimit?: RateLimitOptions | false | undefined;
  /** The clock, in epoch ms (for tests). @default Date.now */
  now?: (() => number) | undefined;
  /**
   * The deadline of each request to the token endpoint (login, refresh, revoke), in ms, whatever
   * `timeout` says (also with `timeout: false`): a token endpoint that never answers must not hang
   * the session, nor hold the store's refresh lock. Requests waiting for that token wait at most
   * this long for it (and less if their own `timeout` or `signal` says so).
   * @default 10_000
   */
  tokenTimeoutMs?: number | undefined;
}
