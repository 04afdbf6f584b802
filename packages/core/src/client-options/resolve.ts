// createClient()'s options read into the client's settings (ResolvedOptions), every one checked
// at once: a bad option is a ConfigError when the client is made, never on its first request.
import { DEFAULT_REFRESH_SKEW_MS, DEFAULT_SESSION_KEY } from '../constants.js';
import { ConfigError } from '../errors/config-error.js';
import type { ClientOptions, PassThroughOptions } from '../options.js';
import type { RateLimitOptions } from '../rate-limit/options.js';
import { checkGrant } from '../token/check-grant.js';
import type { Grant, Plugin, TokenStore } from '../types.js';
import { checkOptions, optionNames } from '../util/check-options.js';
import { PASS_THROUGH_OPTIONS } from '../util/request-options.js';
import { checkKyOptions, isMs, MAX_TIMEOUT_MS } from './ky.js';
import { refuse } from './refuse.js';
import { checkMediaServers, checkRedirectUri, checkServer } from './urls.js';

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

export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

function checkPlugins(plugins: unknown): Plugin[] {
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins)) return refuse('plugins', '`plugins` must be an array');
  plugins.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) refuse(`plugins[${i}]`, `plugins[${i}] is not a plugin object`);
    if (typeof p.name !== 'string' || p.name === '')
      refuse(`plugins[${i}].name`, `plugins[${i}] has no \`name\``);
    if (p.hooks !== undefined && (typeof p.hooks !== 'object' || p.hooks === null)) {
      refuse(`plugins[${i}].hooks`, `plugin "${p.name}": \`hooks\` must be a ky Hooks object`);
    }
    if (p.fetch !== undefined && typeof p.fetch !== 'function') {
      refuse(`plugins[${i}].fetch`, `plugin "${p.name}": \`fetch\` must be a function (next) => fetch`);
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
  ...PASS_THROUGH_OPTIONS,
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
  if (typeof clientId !== 'string' || clientId === '') refuse('clientId', '`clientId` is required');
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    refuse('clientSecret', '`clientSecret` must be a non-empty string when given');
  }
  checkRedirectUri(redirectUri);
  if (grant !== undefined) checkGrant(grant, 'createClient()', true);
  if (store !== undefined) {
    for (const m of ['get', 'set', 'delete', 'withLock'] as const) {
      if (typeof (store as unknown as Record<string, unknown>)?.[m] !== 'function')
        refuse('store', `\`store\` must implement ${m}()`);
    }
  }
  if (typeof sessionKey !== 'string' || sessionKey === '')
    refuse('sessionKey', '`sessionKey` must be a non-empty string');
  if (typeof refreshSkewMs !== 'number' || !Number.isFinite(refreshSkewMs) || refreshSkewMs < 0) {
    refuse('refreshSkewMs', '`refreshSkewMs` must be a number ≥ 0');
  }
  if (rateLimit !== undefined && rateLimit !== false && (typeof rateLimit !== 'object' || rateLimit === null))
    refuse('rateLimit', '`rateLimit` must be rateLimit() options, or false');
  if (typeof now !== 'function') refuse('now', '`now` must be a function returning epoch ms');
  if (!isMs(tokenTimeoutMs))
    refuse('tokenTimeoutMs', `\`tokenTimeoutMs\` must be a number of ms from 1 to ${MAX_TIMEOUT_MS}`);
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
