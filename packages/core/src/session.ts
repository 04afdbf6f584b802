import type { Input, KyInstance, Options, ResponsePromise } from 'ky';
import type { ApiOptions, ApiPath, ApiRecord, ApiResponse, LooseRequestOptions } from './api-types.js';
import type { BatchGetOptions, BatchResult, BatchSource } from './batch/batch-get.js';
import { ConfigError } from './errors/config-error.js';
import type { ClientEventName, ClientEvents } from './events.js';
import type { PageHooks, PaginateOptions } from './paginate.js';
import { checkGrant } from './token/check-grant.js';
import type { TokenInput } from './token/parse.js';
import type { AuthorizeOptions, TokenManager } from './token/token-manager.js';
import type { ClientInfo, Grant, TokenSet, TokenStore } from './types.js';
import { readsAsNetworkErrors } from './util/body-reads.js';
import { checkOptions } from './util/check-options.js';
import { hasArrayValue, toSearchParams } from './util/search-params.js';

/** A type argument given by hand (`paginate<MyRecord>()`), else the described one. */
type Given<T, Described> = [T] extends [never] ? Described : T;

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
  /**
   * A GET of `path` (relative to the server, e.g. `/restapi/v1.0/account/~`); `.json()` parses the body.
   * With `import '@rc/api'`, a literal path is typed by RingCentral's API description (see `api-types.ts`).
   */
  get<P extends string>(
    path: ApiPath<'get', P> | URL | Request,
    options?: ApiOptions<'get', P>,
  ): ResponsePromise<ApiResponse<'get', P>>;
  /** A POST of `path`; pass `json` or `body` in `options`. Not retried (not replay-safe). */
  post<P extends string>(
    path: ApiPath<'post', P> | URL | Request,
    options?: ApiOptions<'post', P>,
  ): ResponsePromise<ApiResponse<'post', P>>;
  /** A PUT of `path`. */
  put<P extends string>(
    path: ApiPath<'put', P> | URL | Request,
    options?: ApiOptions<'put', P>,
  ): ResponsePromise<ApiResponse<'put', P>>;
  /** A PATCH of `path`. */
  patch<P extends string>(
    path: ApiPath<'patch', P> | URL | Request,
    options?: ApiOptions<'patch', P>,
  ): ResponsePromise<ApiResponse<'patch', P>>;
  /** A DELETE of `path`. */
  delete<P extends string>(
    path: ApiPath<'delete', P> | URL | Request,
    options?: ApiOptions<'delete', P>,
  ): ResponsePromise<ApiResponse<'delete', P>>;
  /** A HEAD of `path`. */
  head(path: Input, options?: Options): ResponsePromise;
  /**
   * Every record of a list, page after page, fetched as the loop asks (see `paginate.ts`). With
   * `import '@rc/api'` the records of a documented list are typed; `paginate<MyRecord>(path)` names
   * the record type by hand (and leaves the path untyped).
   */
  paginate<T = never, P extends string = string>(
    path: ApiPath<'get', P>,
    options?: ApiOptions<'get', P> & PageHooks<Given<T, ApiRecord<P>>>,
  ): AsyncGenerator<Given<T, ApiRecord<P>>, void, undefined>;
  /**
   * One resource per id, at most 30 ids a request, in input order (see `batch/batch-get.ts`).
   * `template` holds `{ids}`, e.g. `/restapi/v1.0/account/~/extension/{ids}/presence`; with
   * `import '@rc/api'` the bodies of a documented resource are typed; `batchGet<MyBody>(...)` names
   * the body type by hand.
   */
  batchGet<T = never, P extends string = string>(
    template: ApiPath<'get', P>,
    ids: readonly (string | number)[],
    options?: BatchGetOptions,
  ): Promise<BatchResult<Given<T, ApiResponse<'get', P>>>[]>;
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
  /** The origins besides the server's that the token goes to (media servers). */
  readonly mediaOrigins: readonly string[];
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
  // slash). A full URL on our server is made relative; one on a media server of ours (see
  // `mediaServers`) is sent as it is; one elsewhere is refused, so the bearer token never goes to
  // another host.
  #path(path: Input): { input: string; absolute: boolean } {
    const url = typeof path === 'string' ? path : path instanceof Request ? path.url : path.href;
    if (url.startsWith(this.#prefix)) return { input: url.slice(this.#prefix.length), absolute: false };
    if (typeof path === 'string' && !/^[a-z][a-z\d+.-]*:\/\//i.test(path))
      return { input: path, absolute: false };
    if (URL.canParse(url) && this.#client.mediaOrigins.includes(new URL(url).origin))
      return { input: url, absolute: true };
    throw new ConfigError(`request URL is not on ${this.info.server}`, 'path');
  }

  #call(method: Method, path: Input, options?: LooseRequestOptions): ResponsePromise {
    const kyOptions =
      options !== undefined && hasArrayValue(options.searchParams)
        ? { ...options, searchParams: toSearchParams(options.searchParams) }
        : (options as Options | undefined);
    const { input, absolute } = this.#path(path);
    const url = absolute ? () => input : () => this.#prefix + input.replace(/^\//, '');
    // ky 2's `prefix` joins a relative path to the server, with or without a leading slash; a media
    // server's URL goes without it.
    const p = this.http[method](input, absolute ? { ...kyOptions, prefix: '' } : kyOptions);
    return readsAsNetworkErrors(p, method, url, kyOptions?.signal);
  }
  get(path: Input, options?: LooseRequestOptions) {
    return this.#call('get', path, options);
  }
  post(path: Input, options?: LooseRequestOptions) {
    return this.#call('post', path, options);
  }
  put(path: Input, options?: LooseRequestOptions) {
    return this.#call('put', path, options);
  }
  patch(path: Input, options?: LooseRequestOptions) {
    return this.#call('patch', path, options);
  }
  delete(path: Input, options?: LooseRequestOptions) {
    return this.#call('delete', path, options);
  }
  head(path: Input, options?: Options) {
    return this.#call('head', path, options);
  }

  // Paging and batches load their code when first called (dynamic import): a browser app that
  // never calls them does not download them (a bundler puts them in chunks of their own).
  async *paginate(
    path: string,
    options?: LooseRequestOptions & PageHooks<never>,
  ): AsyncGenerator<never, void, undefined> {
    const { paginate } = await import('./paginate.js');
    yield* paginate<never>(this, path, options as PaginateOptions<never>);
  }
  async batchGet(template: string, ids: readonly (string | number)[], options?: BatchGetOptions) {
    const { batchGet } = await import('./batch/batch-get.js');
    return (await batchGet(this.#batchSource, template, ids, options)) as BatchResult<never>[];
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
