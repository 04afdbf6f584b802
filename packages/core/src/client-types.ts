// The types of the client an app holds: `RcClient` (one session), its options, and what
// `authorize()` and `setToken()` take. The three contracts (Grant, TokenStore, Plugin) are on
// types.ts; what each verb's typed path, options and reply are comes from api-types.ts.
import type { Input, KyInstance, Options, ResponsePromise } from 'ky';
import type { ApiOptions, ApiPath, ApiRecord, ApiResponse } from './api-types.js';
import type { BatchGetOptions, BatchResult } from './batch/batch-get.js';
import type { ClientEventName, ClientEvents } from './events.js';
import type { PageHooks } from './paginate.js';
import type { ClientInfo, Grant, TokenSet, TokenStore } from './types.js';

/** A type argument given by hand (`paginate<MyRecord>()`), else the described one. */
type Given<T, Described> = [T] extends [never] ? Described : T;

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

/** Options of `authorize()`, remembered per session and sent again with every refresh. */
export interface AuthorizeOptions {
  /** Requested access token lifetime in seconds (`access_token_ttl`; RingCentral allows 600–3600). */
  accessTokenTtl?: number | undefined;
  /** Requested refresh token lifetime in seconds (`refresh_token_ttl`; at most 604800). */
  refreshTokenTtl?: number | undefined;
  /** Binds the token to an endpoint id (`endpoint_id`). */
  endpointId?: string | undefined;
}

/** The forms `setToken` accepts. */
export type TokenInput =
  | TokenSet
  | {
      /** The access token. */
      access_token: string;
      /** `bearer`. */
      token_type?: string;
      /** Access token lifetime in seconds, from the reply (RFC 6749 §5.1). */
      expires_in?: number | string;
      /** When the access token expires: a `Date`, or epoch seconds (openid-client) or ms. */
      expires_at?: number | string | Date;
      /** The refresh token. */
      refresh_token?: string;
      /** Refresh token lifetime in seconds (RingCentral's `refresh_token_expires_in`). */
      refresh_token_expires_in?: number | string;
      /** When the refresh token expires: a `Date`, or epoch seconds or ms. */
      refresh_token_expires_at?: number | string | Date;
      /** Space-separated permissions. */
      scope?: string;
      /** The extension id of the user the token belongs to. */
      owner_id?: string | number;
      /** The session's endpoint id. */
      endpoint_id?: string;
    };
