import type { Input, KyInstance, Options, ResponsePromise } from 'ky';
import { type BatchGetOptions, type BatchResult, type BatchSource, batchGet } from './batch/batch-get.js';
import { ConfigError } from './errors/config-error.js';
import type { ClientEventName, ClientEvents } from './events.js';
import { type PaginateOptions, paginate } from './paginate.js';
import { checkGrant } from './token/check-grant.js';
import type { TokenInput } from './token/parse.js';
import type { AuthorizeOptions, TokenManager } from './token/token-manager.js';
import type { ClientInfo, Grant, TokenSet, TokenStore } from './types.js';
import { checkOptions } from './util/check-options.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/** A client bound to one session (one token key). `createClient()` returns the default session. */
export interface RcClient {
  /** What grants and plugins may know of the client (never the secret). */
  readonly info: ClientInfo;
  /** This session's store key. */
  readonly sessionKey: string;
  /**
   * The client's token store (shared by all its sessions). Extensions keep their own state next to
   * the tokens through it when it implements `StateStore`, e.g. `@rc/subscriptions`.
   */
  readonly store: TokenStore;
  /** The composed ky instance of this session (plugins, auth, errors), for anything the verbs don't cover. */
  readonly http: KyInstance;
  /** A GET of `path` (relative to the server, e.g. `restapi/v1.0/account/~`); `.json()` parses the body. */
  get(path: Input, options?: Options): ResponsePromise;
  /** A POST of `path`; pass `json` or `body` in `options`. Not retried (not replay-safe). */
  post(path: Input, options?: Options): ResponsePromise;
  /** A PUT of `path`. */
  put(path: Input, options?: Options): ResponsePromise;
  /** A PATCH of `path`. */
  patch(path: Input, options?: Options): ResponsePromise;
  /** A DELETE of `path`. */
  delete(path: Input, options?: Options): ResponsePromise;
  /** A HEAD of `path`. */
  head(path: Input, options?: Options): ResponsePromise;
  /** Every record of a list, page after page, fetched as the loop asks (see `paginate.ts`). */
  paginate<T = unknown>(path: string, options?: PaginateOptions<T>): AsyncGenerator<T, void, undefined>;
  /** One resource per id, at most 30 ids a request, in input order (see `batch/batch-get.ts`). */
  batchGet<T = unknown>(
    template: string,
    ids: readonly (string | number)[],
    options?: BatchGetOptions,
  ): Promise<BatchResult<T>[]>;
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

/** Options of `rc.session(key, options)`. */
export interface SessionOptions {
  /** An unattended grant for this session (none by default). */
  grant?: Grant | undefined;
}

/** What a session needs of the client that made it (the client implements it; no import cycle). */
export interface SessionHost {
  readonly info: ClientInfo;
  session(key: string, grant: Grant | undefined): RcClient;
  forget(key: string): void;
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void;
}

/** What batchGet and paginate need of the pipeline beyond the verbs. */
export interface SessionWiring {
  /** The client's `timeout` option, as given. */
  readonly timeout: number | false | undefined;
  /** The access token each failed response's request carried (set by the auth plugin). */
  readonly sent: WeakMap<Response, string>;
}

/** One session: the client's pipeline bound to one token key. */
export class Session implements RcClient {
  readonly #client: SessionHost;
  readonly #manager: TokenManager;
  readonly http: KyInstance;
  readonly grant: Grant | undefined;
  readonly #prefix: string;
  readonly #batchSource: BatchSource;

  constructor(
    client: SessionHost,
    manager: TokenManager,
    http: KyInstance,
    grant: Grant | undefined,
    wiring: SessionWiring,
  ) {
    this.#client = client;
    this.#manager = manager;
    this.http = http;
    this.grant = grant;
    this.#prefix = `${client.info.server}/`;
    this.#batchSource = {
      get: (path, options) => this.get(path, options),
      ...(wiring.timeout === undefined ? {} : { timeout: wiring.timeout }),
      sentToken: (response) => wiring.sent.get(response),
    };
  }

  get info(): ClientInfo {
    return this.#client.info;
  }
  get sessionKey(): string {
    return this.#manager.key;
  }
  get store(): TokenStore {
    return this.#manager.store;
  }

  // ky's `prefix` joins the server and any path (RingCentral's docs write paths with a leading
  // slash). A full URL on our server is made relative; one elsewhere is refused, so the bearer
  // token never goes to another host.
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
    return path; // ky 2's `prefix` joins it to the server, with or without a leading slash
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

  paginate<T = unknown>(path: string, options?: PaginateOptions<T>) {
    return paginate<T>(this, path, options);
  }
  batchGet<T = unknown>(template: string, ids: readonly (string | number)[], options?: BatchGetOptions) {
    return batchGet<T>(this.#batchSource, template, ids, options);
  }

  authorize(grant: Grant, options: AuthorizeOptions = {}): Promise<TokenSet> {
    try {
      checkGrant(grant, 'authorize()', false);
      checkOptions(options, ['accessTokenTtl', 'refreshTokenTtl', 'endpointId'], 'authorize()');
    } catch (error) {
      return Promise.reject(error);
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
  setToken(token: TokenInput): Promise<TokenSet> {
    return this.#manager.setToken(token);
  }
  refresh() {
    return this.#manager.refresh();
  }
  async revoke(): Promise<void> {
    await this.#manager.revoke();
    this.#client.forget(this.sessionKey);
  }
  session(key: string, options: SessionOptions = {}): RcClient {
    if (typeof key !== 'string' || key === '')
      throw new ConfigError('session(): `key` must be a non-empty string', 'key');
    checkOptions(options, ['grant'], 'session()');
    return this.#client.session(key, options.grant);
  }
  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void {
    return this.#client.on(event, listener);
  }
}
