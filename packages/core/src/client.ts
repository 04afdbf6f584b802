import ky, {
  type Input,
  isHTTPError,
  type KyInstance,
  type Options,
  type ResponsePromise,
  type RetryOptions,
} from 'ky';
import { composeFetch, mergeHooks } from './compose.js';
import { ConfigError } from './errors/config-error.js';
import { NetworkError } from './errors/network-error.js';
import { isRcError } from './errors/rc-error.js';
import { type ClientEventName, type ClientEvents, Emitter } from './events.js';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { rateLimit } from './plugins/rate-limit.js';
import { OAuthEndpoint } from './token/oauth-endpoint.js';
import { normalizeTokenInput, type TokenInput } from './token/parse.js';
import { privateStore } from './token/private-store.js';
import { type AuthorizeOptions, TokenManager } from './token/token-manager.js';
import type { ClientInfo, Grant, Plugin, TokenSet, TokenStore } from './types.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/** A client bound to one session (one token key). `createClient()` returns the default session. */
export interface RcClient {
  /** What grants and plugins may know of the client (never the secret). */
  readonly info: ClientInfo;
  /** This session's store key. */
  readonly sessionKey: string;
  /** The composed ky instance of this session (plugins, auth, errors), for anything the verbs don't cover. */
  readonly http: KyInstance;
  get(path: Input, options?: Options): ResponsePromise;
  post(path: Input, options?: Options): ResponsePromise;
  put(path: Input, options?: Options): ResponsePromise;
  patch(path: Input, options?: Options): ResponsePromise;
  delete(path: Input, options?: Options): ResponsePromise;
  head(path: Input, options?: Options): ResponsePromise;
  /** Runs a grant now and stores its token; the ttl options are sent again with every refresh. */
  authorize(grant: Grant, options?: AuthorizeOptions): Promise<TokenSet>;
  /** The session's token as stored (no network call), or undefined. */
  getToken(): Promise<TokenSet | undefined>;
  /** Uses a token obtained elsewhere: a TokenSet, a raw OAuth token response, or a token with `expires_at`. */
  setToken(token: TokenInput): Promise<TokenSet>;
  /** Refreshes now (once, whoever else asks at the same time). */
  refresh(): Promise<TokenSet>;
  /** Revokes the session at RingCentral (one request; it ends the whole session), then deletes the stored token. */
  revoke(): Promise<void>;
  /** The same pipeline with another token key: one client serves many end users. */
  session(key: string, options?: SessionOptions): RcClient;
  /** Subscribes to an event of the client (all sessions); returns the unsubscribe function. */
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void;
}

export interface SessionOptions {
  /** An unattended grant for this session (none by default). */
  grant?: Grant;
}

const DEFAULT_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/**
 * Sessions kept in memory, least recently used first out (the default session always stays). A web
 * app with a session per user would otherwise grow without bound; dropping one is safe, since its
 * token lives in the store and `session(key)` builds it again (the store's lock still serialises
 * refreshes if an old reference is still in use).
 */
const MAX_CACHED_SESSIONS = 1000;

/**
 * ky's retry options with our bounds. Errors of the token flow are never retried (a failed refresh
 * must not run thrice); a 429 is retried after its `Retry-After` (outside ky's timeout) unless that
 * is longer than `maxRetryAfter`: retrying early would restart RingCentral's penalty.
 */
function retryOptions(user: Options['retry'], maxWaitMs: number): RetryOptions {
  const given: RetryOptions = typeof user === 'number' ? { limit: user } : (user ?? {});
  const userShouldRetry = given.shouldRetry;
  const maxRetryAfter = given.maxRetryAfter ?? maxWaitMs;
  return {
    limit: 2,
    statusCodes: DEFAULT_STATUS_CODES,
    backoffLimit: 10_000,
    ...given,
    maxRetryAfter,
    shouldRetry: (state) => {
      const error = state.error;
      // Only a network failure of the API request itself may be retried among our errors.
      if (isRcError(error) && !(error instanceof NetworkError && !error.timeout)) return false;
      if (isHTTPError(error) && error.response.status === 429) {
        const seconds = Number(error.response.headers.get('retry-after'));
        if (Number.isFinite(seconds) && seconds * 1000 > maxRetryAfter) return false;
      }
      return userShouldRetry?.(state);
    },
  };
}

class Client {
  readonly info: ClientInfo;
  readonly #o: ResolvedOptions;
  readonly #store: TokenStore;
  readonly #emitter = new Emitter();
  readonly #endpoint: OAuthEndpoint;
  readonly #plugins: Plugin[];
  readonly #baseFetch: typeof fetch;
  readonly #sessions = new Map<string, Session>();

  constructor(options: ClientOptions) {
    const o = resolveOptions(options);
    this.#o = o;
    this.info = Object.freeze({
      server: o.server,
      clientId: o.clientId,
      confidential: o.clientSecret !== undefined,
      ...(o.redirectUri === undefined ? {} : { redirectUri: o.redirectUri }),
    });
    this.#store = o.store ?? privateStore(o.now);
    this.#baseFetch = o.ky.fetch ?? globalThis.fetch.bind(globalThis);
    const userHasRateLimit = o.plugins.some((p) => p.name === 'rateLimit');
    const builtIn =
      o.rateLimit === false || userHasRateLimit
        ? []
        : [rateLimit({ ...o.rateLimit, onRateLimited: (info) => this.#emitter.emit('rateLimited', info) })];
    // Rate limiting is outermost: a request waiting out a penalty must not hold a concurrency slot.
    this.#plugins = [...builtIn, ...o.plugins];
    this.#endpoint = new OAuthEndpoint({
      server: o.server,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      fetch: this.#baseFetch,
      timeoutMs: o.ky.timeout ?? 10_000,
      now: o.now,
      hooks: mergeHooks(this.#plugins.map((p) => p.hooks)),
    });
    this.#retry = retryOptions(o.ky.retry, (o.rateLimit || undefined)?.maxWaitMs ?? 60_000);
  }

  readonly #retry: RetryOptions;

  session(key: string, grant: Grant | undefined): Session {
    let s = this.#sessions.get(key);
    if (s) {
      if (grant && s.grant !== grant)
        throw new ConfigError(`session("${key}") already exists with another grant`, 'grant');
      this.#sessions.delete(key); // most recently used goes last
      this.#sessions.set(key, s);
      return s;
    }
    if (grant !== undefined && !grant.unattended) {
      throw new ConfigError(
        `session(): the grant "${grant.name}" is not unattended; use authorize()`,
        'grant',
      );
    }
    const manager = new TokenManager({
      key,
      store: this.#store,
      endpoint: this.#endpoint,
      client: this.info,
      grant,
      now: this.#o.now,
      refreshSkewMs: this.#o.refreshSkewMs,
      emitter: this.#emitter,
    });
    // Auth is innermost (it sets the token on the copy that goes on the wire); error mapping is
    // the last beforeError hook, after the user's.
    const plugins = [...this.#plugins, authPlugin(manager)];
    const http = ky.create({
      ...this.#o.ky,
      prefixUrl: this.#o.server,
      retry: this.#retry,
      fetch: composeFetch(plugins, this.#baseFetch),
      hooks: mergeHooks([...plugins.map((p) => p.hooks), this.#o.ky.hooks, errorsPlugin().hooks]),
    });
    s = new Session(this, manager, http, grant);
    this.#sessions.set(key, s);
    if (this.#sessions.size > MAX_CACHED_SESSIONS) {
      for (const old of this.#sessions.keys()) {
        if (old !== this.#o.sessionKey) {
          this.#sessions.delete(old);
          break;
        }
      }
    }
    return s;
  }

  /** Drops a session from memory (after revoke: a logged-out user's session need not stay). */
  forget(key: string): void {
    if (key !== this.#o.sessionKey) this.#sessions.delete(key);
  }

  get defaultSessionKey(): string {
    return this.#o.sessionKey;
  }
  get defaultGrant(): Grant | undefined {
    return this.#o.grant;
  }
  get now(): () => number {
    return this.#o.now;
  }
  get endpoint(): OAuthEndpoint {
    return this.#endpoint;
  }
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void {
    return this.#emitter.on(event, listener);
  }
}

class Session implements RcClient {
  readonly #client: Client;
  readonly #manager: TokenManager;
  readonly http: KyInstance;
  readonly grant: Grant | undefined;
  readonly #prefix: string;

  constructor(client: Client, manager: TokenManager, http: KyInstance, grant: Grant | undefined) {
    this.#client = client;
    this.#manager = manager;
    this.http = http;
    this.grant = grant;
    this.#prefix = `${client.info.server}/`;
  }

  get info(): ClientInfo {
    return this.#client.info;
  }
  get sessionKey(): string {
    return this.#manager.key;
  }

  // ky's prefixUrl refuses a leading slash; RingCentral's docs write paths with one. A full URL on
  // our server is fine; one elsewhere is refused, so the bearer token never goes to another host.
  #path(path: Input): Input {
    if (typeof path !== 'string') {
      const url = path instanceof Request ? path.url : path.href;
      if (!url.startsWith(this.#prefix))
        throw new ConfigError(`request URL is not on ${this.info.server}`, 'path');
      return url.slice(this.#prefix.length);
    }
    if (path.startsWith(this.#prefix)) return path.slice(this.#prefix.length);
    if (/^[a-z][a-z\d+.-]*:\/\//i.test(path))
      throw new ConfigError(`request URL is not on ${this.info.server}`, 'path');
    return path.replace(/^\/+/, '');
  }

  #call(method: Method, path: Input, options?: Options): ResponsePromise {
    return this.http[method](this.#path(path), options);
  }
  get(path: Input, options?: Options) {
    return this.#call('get', path, options);
  }
  post(path: Input, options?: Options) {
    return this.#call('post', path, options);
  }
  put(path: Input, options?: Options) {
    return this.#call('put', path, options);
  }
  patch(path: Input, options?: Options) {
    return this.#call('patch', path, options);
  }
  delete(path: Input, options?: Options) {
    return this.#call('delete', path, options);
  }
  head(path: Input, options?: Options) {
    return this.#call('head', path, options);
  }

  authorize(grant: Grant, options: AuthorizeOptions = {}): Promise<TokenSet> {
    if (typeof grant !== 'object' || grant === null || typeof grant.requestToken !== 'function') {
      return Promise.reject(new ConfigError('authorize(): `grant` must be a Grant', 'grant'));
    }
    for (const name of ['accessTokenTtl', 'refreshTokenTtl'] as const) {
      const v = options[name];
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
        return Promise.reject(
          new ConfigError(`authorize(): \`${name}\` must be a whole number of seconds > 0`, name),
        );
      }
    }
    if (
      options.endpointId !== undefined &&
      (typeof options.endpointId !== 'string' || options.endpointId === '')
    ) {
      return Promise.reject(
        new ConfigError('authorize(): `endpointId` must be a non-empty string', 'endpointId'),
      );
    }
    return this.#manager.authorize(grant, options);
  }
  getToken() {
    return this.#manager.getToken();
  }
  async setToken(token: TokenInput): Promise<TokenSet> {
    return this.#manager.setToken(normalizeTokenInput(token, this.#client.now()));
  }
  refresh() {
    return this.#manager.refresh();
  }
  async revoke(): Promise<void> {
    const endpoint = this.#client.endpoint;
    await this.#manager.revoke((token) => endpoint.revoke(token));
    this.#client.forget(this.sessionKey);
  }
  session(key: string, options: SessionOptions = {}): RcClient {
    if (typeof key !== 'string' || key === '')
      throw new ConfigError('session(): `key` must be a non-empty string', 'key');
    return this.#client.session(key, options.grant);
  }
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void {
    return this.#client.on(event, listener);
  }
}

/**
 * Creates a client. Every option is checked here: a bad one throws `ConfigError` naming it.
 *
 * @example
 * const rc = createClient({ server: SERVER_PRODUCTION, clientId, clientSecret, grant: passwordGrant({ username, password }) });
 * const me = await rc.get('/restapi/v1.0/account/~/extension/~').json();
 */
export function createClient(options: ClientOptions): RcClient {
  const client = new Client(options);
  return client.session(client.defaultSessionKey, client.defaultGrant);
}
