import ky, { type RetryOptions } from 'ky';
import { type ResolvedOptions, resolveOptions } from './client-options/resolve.js';
import type { RcClient } from './client-types.js';
import { composeFetch, mergeHooks } from './compose.js';
import { ConfigError } from './errors/config-error.js';
import { type ClientEventName, type ClientEvents, Emitter } from './events.js';
import { type Observers, observersOf } from './observe.js';
import type { ClientOptions } from './options.js';
import { strictParseJson } from './parse-json.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { placeLimiter } from './rate-limit/placement.js';
import { retryOptions } from './retry.js';
import { Session, type SessionHost } from './session.js';
import { supportsBudget } from './state.js';
import { checkGrant } from './token/check-grant.js';
import { OAuthEndpoint } from './token/oauth-endpoint.js';
import { privateStore } from './token/private-store.js';
import { TokenManager } from './token/token-manager.js';
import type { ClientInfo, Grant, Plugin, TokenStore } from './types.js';

/**
 * Sessions kept in memory, least recently used first out (the default session always stays). A web
 * app with a session per user would otherwise grow without bound; dropping one is safe, since its
 * token lives in the store and `session(key)` builds it again (the store's lock still serialises
 * refreshes if an old reference is still in use).
 */
const MAX_CACHED_SESSIONS = 1000;

/** ky's default per-attempt `timeout`. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The composition root: options, store, plugins, the OAuth endpoint, and the sessions built on them. */
class Client implements SessionHost {
  readonly info: ClientInfo;
  readonly mediaOrigins: readonly string[];
  readonly #o: ResolvedOptions;
  readonly #store: TokenStore;
  readonly #emitter = new Emitter();
  readonly #endpoint: OAuthEndpoint;
  readonly #plugins: Plugin[];
  readonly #baseFetch: typeof fetch;
  readonly #sessions = new Map<string, Session>();
  /** The plugins' observers (`Plugin.observe`), or undefined when none observes: then nothing is observed, at no cost. */
  readonly #observe: Observers | undefined;

  constructor(options: ClientOptions) {
    const o = resolveOptions(options);
    this.#o = o;
    this.info = Object.freeze({
      server: o.server,
      clientId: o.clientId,
      confidential: o.clientSecret !== undefined,
      ...(o.redirectUri === undefined ? {} : { redirectUri: o.redirectUri }),
    });
    this.mediaOrigins = Object.freeze([...o.mediaOrigins]);
    this.#store = o.store ?? privateStore(o.now);
    this.#baseFetch = o.ky.fetch ?? globalThis.fetch.bind(globalThis);
    // The rate limiter is a plugin like the others (placement.ts chooses it); what the client does
    // for it alone is below, each for a reason no other plugin shares: it is wired to the client's
    // `'rateLimited'` event and the store's shared penalties and budget; token requests go through
    // its transport wrapper (they get no other plugin's: it never waits there, it reads the Auth
    // group's replies); and ky's retries wait no longer than it would. A general `Plugin` hook for
    // this wiring would be a public contract with one user.
    const rl = placeLimiter(o.plugins, o.rateLimit, o.now);
    this.#plugins = rl.plugins;
    this.#observe = observersOf(this.#plugins);
    rl.limiter?.attach({
      emit: (info) => this.#emitter.emit('rateLimited', info),
      penalties: this.#store.penalties,
      budget: supportsBudget(this.#store) ? this.#store.budget : undefined,
      observe: this.#observe,
    });
    this.#endpoint = new OAuthEndpoint({
      server: o.server,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      fetch: rl.plugin?.fetch ? rl.plugin.fetch(this.#baseFetch) : this.#baseFetch,
      timeoutMs: o.tokenTimeoutMs,
      retryRateLimited: rl.limiter !== undefined,
      now: o.now,
      hooks: mergeHooks(this.#plugins.map((p) => p.hooks)),
      observe: this.#observe,
    });
    this.#retry = retryOptions({
      retry: o.ky.retry,
      maxWaitMs: rl.maxWaitMs,
      timeoutMs: o.ky.timeout ?? DEFAULT_TIMEOUT_MS,
      now: o.now,
    });
    this.#parseJson = strictParseJson(o.ky.parseJson);
  }

  readonly #retry: RetryOptions;
  /** `.json()` of every session: a body that is not JSON is an ApiError, not a SyntaxError. */
  readonly #parseJson: ReturnType<typeof strictParseJson>;

  session(key: string, grant: Grant | undefined): Session {
    let s = this.#sessions.get(key);
    if (s) {
      if (grant && s.grant !== grant)
        throw new ConfigError(`session("${key}") already exists with another grant`, 'grant');
      this.#sessions.delete(key); // most recently used goes last
      this.#sessions.set(key, s);
      return s;
    }
    if (grant !== undefined) checkGrant(grant, `session("${key}")`, true);
    const manager = new TokenManager({
      key,
      store: this.#store,
      endpoint: this.#endpoint,
      client: this.info,
      grant,
      now: this.#o.now,
      refreshSkewMs: this.#o.refreshSkewMs,
      emitter: this.#emitter,
      tokenTimeoutMs: this.#o.tokenTimeoutMs,
      observe: this.#observe,
    });
    // Auth is innermost (it sets the token on the copy that goes on the wire); error mapping is
    // the last beforeError hook, after the user's.
    const sent = new WeakMap<Response, string>();
    const plugins = [
      ...this.#plugins,
      authPlugin(manager, this.#o.server, sent, this.mediaOrigins, this.#observe),
    ];
    const http = ky.create({
      ...this.#o.ky,
      prefix: this.#o.server,
      retry: this.#retry,
      parseJson: this.#parseJson,
      fetch: composeFetch(plugins, this.#baseFetch),
      hooks: mergeHooks([
        ...plugins.map((p) => p.hooks),
        this.#o.ky.hooks,
        errorsPlugin(sent, this.#o.now).hooks,
      ]),
    });
    s = new Session(this, manager, http, grant, { timeout: this.#o.ky.timeout, sent });
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
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void {
    return this.#emitter.on(event, listener);
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
