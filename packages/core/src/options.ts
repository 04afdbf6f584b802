import type { Options } from 'ky';
import { DEFAULT_REFRESH_SKEW_MS, DEFAULT_SESSION_KEY, MEDIA_SERVERS } from './constants.js';
import { ConfigError } from './errors/config-error.js';
import type { RateLimitOptions } from './rate-limit/options.js';
import { checkGrant } from './token/check-grant.js';
import type { Grant, Plugin, TokenStore } from './types.js';
import { checkOptions, optionNames } from './util/check-options.js';
import { isLoopbackHost } from './util/loopback.js';

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

export interface ResolvedOptions {
  server: string;
  /** The origins besides the server's that the token goes to (built-in media server included). */
  mediaOrigins: string[];
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  grant: Grant | undefined;
  store: TokenStore | undefined;
  sessionKey: string;
  plugins: Plugin[];
  refreshSkewMs: number;
  /** Undefined when not given (the built-in limiter with its defaults). */
  rateLimit: RateLimitOptions | false | undefined;
  now: () => number;
  tokenTimeoutMs: number;
  ky: PassThroughOptions;
}

/** The largest delay a timer takes (2^31 - 1 ms, about 24.8 days); ky throws a RangeError above it. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

const isMs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_TIMEOUT_MS;

/** The dangerous redirect URI schemes: script, inline documents, local files. */
const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);

const fail = (option: string, message: string): never => {
  throw new ConfigError(`createClient(): ${message}`, option);
};

/** An absolute http(s) URL without query, fragment or credentials; plain http only to loopback. */
function checkHttpUrl(value: unknown, option: string, allowInsecureHttp: boolean): URL {
  let url: URL | undefined;
  if (typeof value === 'string' && URL.canParse(value)) url = new URL(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return fail(option, `\`${option}\` must be an absolute http(s) URL`);
  if (url.search || url.hash || url.username || url.password) {
    return fail(option, `\`${option}\` must not carry a query, fragment or credentials`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    return fail(
      option,
      'plain http is refused for hosts other than loopback; use https or set `allowInsecureHttp: true`',
    );
  }
  return url;
}

function checkServer(server: unknown, allowInsecureHttp: boolean): string {
  if (typeof server !== 'string' || server === '')
    return fail('server', '`server` is required (e.g. SERVER_PRODUCTION)');
  return checkHttpUrl(server, 'server', allowInsecureHttp).href.replace(/\/+$/, '');
}

/**
 * The origins the token goes to besides the server: RingCentral's media server for a known server,
 * and the `mediaServers` given (origins only: the token goes to the whole origin, so a path would
 * promise a limit that is not kept).
 */
function checkMediaServers(given: unknown, server: string, allowInsecureHttp: boolean): string[] {
  const origins = new Set<string>();
  const known = MEDIA_SERVERS[new URL(server).origin];
  if (known) origins.add(known);
  if (given === undefined) return [...origins];
  if (!Array.isArray(given)) return fail('mediaServers', '`mediaServers` must be an array of origins');
  for (const value of given) {
    const url = checkHttpUrl(value, 'mediaServers', allowInsecureHttp);
    if (url.pathname !== '/')
      fail('mediaServers', '`mediaServers` holds origins only (https://host[:port]), without a path');
    origins.add(url.origin);
  }
  return [...origins];
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

/** Every option `createClient()` knows: its own, then ky's that pass through (typed both ways). */
const KNOWN_OPTIONS = optionNames<ClientOptions>()([
  'server',
  'clientId',
  'clientSecret',
  'redirectUri',
  'grant',
  'store',
  'sessionKey',
  'plugins',
  'refreshSkewMs',
  'allowInsecureHttp',
  'mediaServers',
  'rateLimit',
  'now',
  'tokenTimeoutMs',
  // ky's (and fetch's RequestInit's) options, as PassThroughOptions has them
  'headers',
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
  'parseJson',
  'stringifyJson',
  'retry',
  'timeout',
  'totalTimeout',
  'hooks',
  'throwHttpErrors',
  'onDownloadProgress',
  'onUploadProgress',
  'fetch',
  'context',
]);

/** Checks every option at once and throws `ConfigError` naming the first bad one. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options === 'object' && options !== null && 'dispatcher' in options) {
    // ky would hand it to fetch for the API requests only: token requests would bypass the proxy
    // (or the HTTP/2 agent) that the user meant for everything.
    throw new ConfigError(
      'createClient(): `dispatcher` would not reach token requests; use `fetch: undiciFetch({ dispatcher })` (@rc/transport-undici).',
      'dispatcher',
    );
  }
  checkOptions(options, KNOWN_OPTIONS, 'createClient()');
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
    mediaServers,
    rateLimit,
    now = Date.now,
    tokenTimeoutMs = DEFAULT_TOKEN_TIMEOUT_MS,
    ...ky
  } = options;
  if (typeof clientId !== 'string' || clientId === '') fail('clientId', '`clientId` is required');
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    fail('clientSecret', '`clientSecret` must be a non-empty string when given');
  }
  if (redirectUri !== undefined) {
    const url =
      typeof redirectUri === 'string' && URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
    if (!url) fail('redirectUri', '`redirectUri` must be an absolute URL');
    // An app scheme (com.example.app:/callback) is fine; a script or an inline document is not.
    if (url && UNSAFE_SCHEMES.has(url.protocol))
      fail(
        'redirectUri',
        `\`redirectUri\` must not use the ${url.protocol} scheme (use https, or an app scheme)`,
      );
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
  if (rateLimit !== undefined && rateLimit !== false && (typeof rateLimit !== 'object' || rateLimit === null))
    fail('rateLimit', '`rateLimit` must be rateLimit() options, or false');
  if (typeof now !== 'function') fail('now', '`now` must be a function returning epoch ms');
  if (!isMs(tokenTimeoutMs))
    fail('tokenTimeoutMs', `\`tokenTimeoutMs\` must be a number of ms from 1 to ${MAX_TIMEOUT_MS}`);
  checkKyOptions(ky);
  const checkedServer = checkServer(server, allowInsecureHttp);
  return {
    server: checkedServer,
    mediaOrigins: checkMediaServers(mediaServers, checkedServer, allowInsecureHttp),
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
    tokenTimeoutMs,
    ky,
  };
}

const HOOK_NAMES = ['init', 'beforeRequest', 'beforeRetry', 'afterResponse', 'beforeError'];
const FUNCTION_OPTIONS = [
  'fetch',
  'parseJson',
  'stringifyJson',
  'onDownloadProgress',
  'onUploadProgress',
] as const;

/** The ky options we pass through: each one ky would only trip on at request time is checked now. */
function checkKyOptions(ky: PassThroughOptions): void {
  for (const name of ['timeout', 'totalTimeout'] as const) {
    const v = ky[name];
    if (v !== undefined && v !== false && !isMs(v))
      fail(name, `\`${name}\` must be a number of ms from 1 to ${MAX_TIMEOUT_MS}, or false`);
  }
  for (const name of FUNCTION_OPTIONS) {
    if (ky[name] !== undefined && typeof ky[name] !== 'function')
      fail(name, `\`${name}\` must be a function`);
  }
  const { retry, hooks, headers, throwHttpErrors } = ky;
  const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (retry !== undefined) {
    if (typeof retry === 'number') {
      if (!isCount(retry)) fail('retry', '`retry` must be a whole number ≥ 0, or retry options');
    } else if (typeof retry !== 'object' || retry === null) {
      fail('retry', '`retry` must be a whole number ≥ 0, or retry options');
    } else {
      if (retry.limit !== undefined && !isCount(retry.limit))
        fail('retry', '`retry.limit` must be a whole number ≥ 0');
      for (const k of ['backoffLimit', 'maxRetryAfter'] as const) {
        const v = retry[k];
        if (v !== undefined && !(typeof v === 'number' && !Number.isNaN(v) && v >= 0))
          fail('retry', `\`retry.${k}\` must be a number of ms ≥ 0`);
      }
    }
  }
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null) fail('hooks', '`hooks` must be a ky Hooks object');
    for (const [name, list] of Object.entries(hooks ?? {})) {
      if (!HOOK_NAMES.includes(name)) fail(`hooks.${name}`, `\`hooks.${name}\` is not a ky hook`);
      if (list !== undefined && (!Array.isArray(list) || list.some((h) => typeof h !== 'function')))
        fail(`hooks.${name}`, `\`hooks.${name}\` must be an array of functions`);
    }
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null))
    fail('headers', '`headers` must be an object, an array of pairs, or a Headers');
  if (
    throwHttpErrors !== undefined &&
    typeof throwHttpErrors !== 'boolean' &&
    typeof throwHttpErrors !== 'function'
  )
    fail('throwHttpErrors', '`throwHttpErrors` must be a boolean or a function');
}
