import type { Options } from 'ky';
import { DEFAULT_REFRESH_SKEW_MS, DEFAULT_SESSION_KEY } from './constants.js';
import { ConfigError } from './errors/config-error.js';
import type { RateLimitOptions } from './plugins/rate-limit.js';
import { checkGrant } from './token/check-grant.js';
import type { Grant, Plugin, TokenStore } from './types.js';

/**
 * ky options that pass through to every request. `prefix` and `baseUrl` are the server's (ky 2
 * renamed ky 1's `prefixUrl` to `prefix`); bodies and queries are per call.
 */
export type PassThroughOptions = Omit<
  Options,
  'prefix' | 'baseUrl' | 'method' | 'body' | 'json' | 'searchParams'
>;

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
  clientSecret?: string;
  /** The default OAuth redirect URI (authorization-code flow). */
  redirectUri?: string;
  /**
   * An unattended grant (password, JWT) for the default session: used when no token is stored,
   * and again when the refresh token is dead.
   */
  grant?: Grant;
  /**
   * Where tokens live. @default a private in-memory slot of this client
   */
  store?: TokenStore;
  /** The store key of the default session. @default 'default' */
  sessionKey?: string;
  /** Plugins, in order: their hooks run in this order and their fetch wrappers nest in it (first is outermost). */
  plugins?: Plugin[];
  /**
   * Refresh this long before the access token expires; never more than half the token's lifetime.
   * @default 60_000
   */
  refreshSkewMs?: number;
  /** Allow plain http to hosts other than loopback (never do this in production). @default false */
  allowInsecureHttp?: boolean;
  /**
   * The built-in rate-limit handling (see `rateLimit()`); `false` turns it off. A plugin named
   * `rateLimit` in `plugins` replaces it.
   * @default {}
   */
  rateLimit?: RateLimitOptions | false;
  /** The clock, in epoch ms (for tests). @default Date.now */
  now?: () => number;
}

export interface ResolvedOptions {
  server: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  grant: Grant | undefined;
  store: TokenStore | undefined;
  sessionKey: string;
  plugins: Plugin[];
  refreshSkewMs: number;
  rateLimit: RateLimitOptions | false;
  now: () => number;
  ky: PassThroughOptions;
}

const fail = (option: string, message: string): never => {
  throw new ConfigError(`createClient(): ${message}`, option);
};

const isLoopback = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';

function checkServer(server: unknown, allowInsecureHttp: boolean): string {
  if (typeof server !== 'string' || server === '')
    return fail('server', '`server` is required (e.g. SERVER_PRODUCTION)');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return fail('server', '`server` must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('server', '`server` must be an absolute http(s) URL');
  if (url.search || url.hash || url.username || url.password) {
    return fail('server', '`server` must not carry a query, fragment or credentials');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    return fail(
      'server',
      'plain http is refused for hosts other than loopback; use https or set `allowInsecureHttp: true`',
    );
  }
  return url.href.replace(/\/+$/, '');
}

function checkPlugins(plugins: unknown): Plugin[] {
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins)) return fail('plugins', '`plugins` must be an array');
  plugins.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) fail(`plugins[${i}]`, `plugins[${i}] is not a plugin object`);
    if (typeof p.name !== 'string' || p.name === '')
      fail(`plugins[${i}].name`, `plugins[${i}] has no \`name\``);
    if (p.hooks !== undefined && (typeof p.hooks !== 'object' || p.hooks === null)) {
      fail(`plugins[${i}].hooks`, `plugin "${p.name}": \`hooks\` must be a ky Hooks object`);
    }
    if (p.fetch !== undefined && typeof p.fetch !== 'function') {
      fail(`plugins[${i}].fetch`, `plugin "${p.name}": \`fetch\` must be a function (next) => fetch`);
    }
  });
  return plugins as Plugin[];
}

/** Checks every option at once and throws `ConfigError` naming the first bad one. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) return fail('options', 'options must be an object');
  const {
    server,
    clientId,
    clientSecret,
    redirectUri,
    grant,
    store,
    sessionKey = DEFAULT_SESSION_KEY,
    plugins,
    refreshSkewMs = DEFAULT_REFRESH_SKEW_MS,
    allowInsecureHttp = false,
    rateLimit = {},
    now = Date.now,
    ...ky
  } = options;
  if (typeof clientId !== 'string' || clientId === '') fail('clientId', '`clientId` is required');
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    fail('clientSecret', '`clientSecret` must be a non-empty string when given');
  }
  if (redirectUri !== undefined) {
    try {
      new URL(redirectUri);
    } catch {
      fail('redirectUri', '`redirectUri` must be an absolute URL');
    }
  }
  if (grant !== undefined) checkGrant(grant, 'createClient()', true);
  if (store !== undefined) {
    for (const m of ['get', 'set', 'delete', 'withLock'] as const) {
      if (typeof (store as unknown as Record<string, unknown>)?.[m] !== 'function')
        fail('store', `\`store\` must implement ${m}()`);
    }
  }
  if (typeof sessionKey !== 'string' || sessionKey === '')
    fail('sessionKey', '`sessionKey` must be a non-empty string');
  if (typeof refreshSkewMs !== 'number' || !Number.isFinite(refreshSkewMs) || refreshSkewMs < 0) {
    fail('refreshSkewMs', '`refreshSkewMs` must be a number ≥ 0');
  }
  if (typeof now !== 'function') fail('now', '`now` must be a function returning epoch ms');
  if (ky.fetch !== undefined && typeof ky.fetch !== 'function') fail('fetch', '`fetch` must be a function');
  if (
    ky.timeout !== undefined &&
    ky.timeout !== false &&
    !(typeof ky.timeout === 'number' && ky.timeout > 0)
  ) {
    fail('timeout', '`timeout` must be a number of ms > 0, or false');
  }
  return {
    server: checkServer(server, allowInsecureHttp),
    clientId,
    clientSecret,
    redirectUri,
    grant,
    store,
    sessionKey,
    plugins: checkPlugins(plugins),
    refreshSkewMs,
    rateLimit,
    now,
    ky,
  };
}
