import type { Input, KyInstance, Options, ResponsePromise } from 'ky';
import type { ApiOptions, ApiPath, ApiRecord, ApiResponse, LooseRequestOptions } from './api-types.js';
import type { BatchGetOptions, BatchResult, BatchSource } from './batch/batch-get.js';
import type { AuthorizeOptions, RcClient, SessionOptions, TokenInput } from './client-types.js';
import { ConfigError } from './errors/config-error.js';
import type { ClientEventName, ClientEvents } from './events.js';
import type { PageHooks, PaginateOptions } from './paginate.js';
import { checkGrant } from './token/check-grant.js';
import type { TokenManager } from './token/token-manager.js';
import type { ClientInfo, Grant, TokenSet, TokenStore } from './types.js';
import { readsAsNetworkErrors } from './util/body-reads.js';
import { checkOptions } from './util/check-options.js';
import { hasArrayValue, toSearchParams } from './util/search-params.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

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
