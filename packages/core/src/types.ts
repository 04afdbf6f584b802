// The three contracts third parties implement: a Grant (with its GrantContext), a TokenStore (with
// the Lease its lock hands out), a Plugin; and the TokenSet they pass around. A store's optional
// capabilities are on their own sheet, store-capabilities.ts.

import type { Hooks } from 'ky';
import type { Observer } from './observe.js';
import type { SharedBudget, SharedPenalties, StateStore } from './store-capabilities.js';

// Re-exported for the files that import them from here (the rate limiter).

/**
 * An OAuth 2 token as the `@rc` packages keep it: a plain, JSON-serialisable object (no Dates, no classes), so
 * it can be stored anywhere and handed between processes with `JSON.stringify`/`JSON.parse`.
 */
export interface TokenSet {
  /** The bearer access token. A secret: never log it. */
  accessToken: string;
  /** Usually `bearer`. */
  tokenType: string;
  /** When the access token expires, in epoch milliseconds (computed from `expires_in`). */
  expiresAt: number;
  /** The single-use refresh token, when the grant issued one. A secret. */
  refreshToken?: string;
  /** When the refresh token expires, in epoch milliseconds. */
  refreshTokenExpiresAt?: number;
  /** Space-separated scopes granted. */
  scope?: string;
  /** The RingCentral extension id the token belongs to (`owner_id`). */
  ownerId?: string;
  /** The endpoint id bound to this token (`endpoint_id`). */
  endpointId?: string;
}

/** What a grant or plugin may know about the client. It never holds the client secret. */
export interface ClientInfo {
  /** The server base URL, without a trailing slash, e.g. `https://platform.ringcentral.com`. */
  readonly server: string;
  /** The app's client id. */
  readonly clientId: string;
  /** The client's default OAuth redirect URI, when it has one. */
  readonly redirectUri?: string;
  /** `true` when the client was given a `clientSecret` (it authenticates with HTTP Basic). */
  readonly confidential: boolean;
}

/** Form fields of a token request; `undefined` values are left out. */
export type TokenRequestParams = Record<string, string | undefined>;

/** What the client hands a grant when it runs it. */
export interface GrantContext {
  /**
   * POSTs the form to `/restapi/oauth/token` with client authentication (Basic, or `client_id` in
   * the body for secretless clients), adds `access_token_ttl`/`refresh_token_ttl`/`endpoint_id`
   * from the authorize options, parses the reply into a {@link TokenSet}, and throws `OAuthError`
   * on an error reply or a malformed one.
   */
  tokenRequest(params: TokenRequestParams): Promise<TokenSet>;
  /** The client running the grant (never its secret). */
  readonly client: ClientInfo;
  /**
   * Aborts when the grant's time is up: the store's lock it runs under was lost or its bound
   * passed. `tokenRequest` already stops then; pass it to any other I/O the grant does. A token
   * the grant returns after that is dropped, never stored.
   */
  readonly signal?: AbortSignal;
}

/**
 * A grant obtains a token. Implement it to add a grant type (JWT bearer, client credentials, ...).
 *
 * @example
 * const clientCredentials = (): Grant => ({
 *   name: 'client_credentials',
 *   unattended: true,
 *   requestToken: (ctx) => ctx.tokenRequest({ grant_type: 'client_credentials' }),
 * });
 */
export interface Grant {
  /** The grant's name, e.g. `password`, `authorization_code`. Shown in errors and logs. */
  readonly name: string;
  /** `true` when the grant may run again without a person (password, JWT): used to log in again. */
  readonly unattended?: boolean;
  /** Obtains a token, usually with one `ctx.tokenRequest(...)`. Throws `OAuthError` (from the token request) or `ConfigError`. */
  requestToken(ctx: GrantContext): Promise<TokenSet>;
}

/**
 * What {@link TokenStore.withLock} hands its holder: the lock as a fencing token. Writes made
 * through the lease are checked by the store in the same step as the write (Redis: the lock's
 * owner in the Lua call that writes; one process: the lease's generation), so work that outlives
 * its lock — a token request answered late, a paused process — can never overwrite what the
 * next holder stored.
 *
 * The lease ends, for good, when `withLock`'s `fn` settles (its caller's bound passed, or it is
 * done) or the store finds the lock lost (expired, taken over, unreachable for longer than it
 * lives). From then on `signal` is aborted and `set`/`delete` reject with a `StoreError` whose
 * message starts "Lock lost", writing nothing. A write the store refuses ends the lease too.
 *
 * @example
 * await store.withLock(key, async (lease) => {
 *   const token = await refresh({ signal: lease.signal }); // stops when the lock is lost
 *   await lease.set(token); // refused, not written, if the lock was lost meanwhile
 * });
 */
export interface Lease {
  /** The locked key. */
  readonly key: string;
  /** Aborts (with a `StoreError`) when the lease ends: hand it to the work the lock protects. */
  readonly signal: AbortSignal;
  /** Stores the token under the locked key, if the lease still holds (see {@link TokenStore.set}). */
  set(token: TokenSet): Promise<void>;
  /** Removes the token under the locked key, if the lease still holds. */
  delete(): Promise<void>;
}

/**
 * Persists token sets under a key and serialises refreshes among everyone sharing the store.
 * Errors must surface (as `StoreError`): a failed read is never "no token". A store may also
 * implement {@link StateStore} (all five methods, or none).
 */
export interface TokenStore extends Partial<StateStore> {
  /** The live token under `key`, or `undefined` when there is none; a `StoreError` when the store failed (never `undefined`). */
  get(key: string): Promise<TokenSet | undefined>;
  /** Stores the token; the entry expires with the refresh token (or the access token if none). */
  set(key: string, token: TokenSet): Promise<void>;
  /** Removes the token under `key` (nothing to remove is fine). */
  delete(key: string): Promise<void>;
  /**
   * Runs `fn(lease)` while holding a lock on `key` that excludes every other user of the store.
   * The lease ends when `fn` settles or the lock is lost, whichever comes first: then its `signal`
   * aborts and its writes are refused. The lock is released when `fn` settles.
   */
  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>): Promise<T>;
  /**
   * Optional: rate-limit penalties shared by everyone on the store, so that a 429 met by one
   * process holds the others too (RingCentral restarts a penalty on every request sent during it).
   */
  readonly penalties?: SharedPenalties;
  /**
   * Optional: the rate-limit budget shared by everyone on the store (RingCentral's limits are per
   * user and app, so processes of one app spend one budget); check with `supportsBudget(store)`.
   */
  readonly budget?: SharedBudget;
}

/**
 * A named slice of ky 2 hooks, plus an optional transport wrapper.
 *
 * What a plugin sees:
 * - API requests pass through both: the hooks (in plugin order) and the `fetch` wrappers (the
 *   first plugin outermost). A wrapper sees the request before core's auth adds the token, and
 *   never sees the token; a hook never sees it either (ky's request objects do not carry it).
 * - Token requests (`/restapi/oauth/token`, `/revoke`) pass through the hooks only, so a logger
 *   sees them, but not through the `fetch` wrappers: an API request holds its `concurrency()` slot
 *   while it waits for a token, so a token request queued behind such requests would wait for
 *   itself (a deadlock). The one exception is core's rate limiter, which knows the Auth group: its
 *   wrapper never waits (it waits in hooks and only reads replies in the transport), so the client
 *   puts it, alone, on token requests too.
 */
export interface Plugin {
  /** A name for messages and diagnostics (core never recognises a plugin by its name). */
  readonly name: string;
  /** ky 2 hooks (each takes one state object), merged with other plugins' in plugin order. */
  readonly hooks?: Hooks;
  /** Wraps the transport: receives the next `fetch` and returns a new one. Composed in plugin order. */
  readonly fetch?: (next: typeof fetch) => typeof fetch;
  /**
   * Tells the plugin what core does on its own: token requests (login, refresh, revoke), waits for
   * a token, rate-limit waits, each send on the wire (a 401's re-send included). See `Observer`.
   */
  readonly observe?: Observer;
}
