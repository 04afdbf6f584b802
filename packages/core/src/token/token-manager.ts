import { AuthRequiredError } from '../errors/auth-required-error.js';
import { NetworkError } from '../errors/network-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import { isRcError, type RcError } from '../errors/rc-error.js';
import { safeCause } from '../errors/safe-cause.js';
import { StoreError } from '../errors/store-error.js';
import type { Emitter } from '../events.js';
import { type Observers, observedLock } from '../observe.js';
import type { ClientInfo, Grant, GrantContext, TokenRequestParams, TokenSet, TokenStore } from '../types.js';
import { backoffDelay } from '../util/backoff.js';
import { withDeadline } from '../util/deadline.js';
import { checkTokenSet } from './check.js';
import type { OAuthEndpoint } from './oauth-endpoint.js';
import { normalizeTokenInput, type TokenInput } from './parse.js';

/** Options of `authorize()`, remembered per session and sent again with every refresh. */
export interface AuthorizeOptions {
  /** Requested access token lifetime in seconds (`access_token_ttl`; RingCentral allows 600–3600). */
  accessTokenTtl?: number;
  /** Requested refresh token lifetime in seconds (`refresh_token_ttl`; at most 604800). */
  refreshTokenTtl?: number;
  /** Binds the token to an endpoint id (`endpoint_id`). */
  endpointId?: string;
}

export interface TokenManagerDeps {
  key: string;
  store: TokenStore;
  endpoint: OAuthEndpoint;
  client: ClientInfo;
  /** The unattended grant that logs this session in (again) without a person; none for most sessions. */
  grant: Grant | undefined;
  now: () => number;
  refreshSkewMs: number;
  emitter: Emitter;
  /** The token endpoint's deadline: work inside the store's lock is bounded by it (plus a margin). */
  tokenTimeoutMs: number;
  /** The plugins' observers, when any plugin observes: told of waits for the store's lock. */
  observe?: Observers | undefined;
}

/** Time for the store calls around a token request inside the lock (a re-read, a write). */
const LOCK_MARGIN_MS = 2_000;
/** Backoff after a failed refresh or login: doubling from this, jittered, capped. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/** Errors with nothing to protect by waiting: no endpoint was failing (or a person must act). */
const noBackoff = (e: unknown) => isRcError(e) && (e.code === 'RC_AUTH_REQUIRED' || e.code === 'RC_CONFIG');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a store read inside the lock found: a token, nothing, or something it could not read. */
const UNREADABLE = Symbol('unreadable');
type Stored = TokenSet | undefined | typeof UNREADABLE;
type Commit = (token: TokenSet) => Promise<TokenSet>;

const isInvalidGrant = (e: unknown) => e instanceof OAuthError && e.error === 'invalid_grant';

/** Store errors become StoreError whatever the store threw (a third-party store may throw anything). */
async function storeCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isRcError(error)) throw error;
    throw new StoreError(operation, `token store ${operation} failed`, {
      cause: safeCause(error),
    });
  }
}

/**
 * One session's token: kept in memory, backed by the store. The store is read at first use and
 * after a rejected token, never on a request whose token is valid. Every refresh or login runs
 * once per process (single flight) and once among all users of the store (inside `withLock`,
 * after re-reading the store: another holder may have done the work already).
 */
export class TokenManager {
  readonly #d: TokenManagerDeps;
  #current: TokenSet | undefined;
  #loaded = false;
  #inflight: Promise<TokenSet> | undefined;
  #authOptions: AuthorizeOptions = {};
  // After a failed refresh or login: how many in a row, and when (performance.now()) the next
  // attempt may start. Reset by any new token.
  #failures = 0;
  #retryAt = 0;
  // When a token was first seen, to keep the refresh skew at most half its lifetime.
  readonly #seenAt = new WeakMap<TokenSet, number>();

  constructor(deps: TokenManagerDeps) {
    this.#d = deps;
  }

  get key(): string {
    return this.#d.key;
  }

  get store(): TokenStore {
    return this.#d.store;
  }

  /**
   * The hot path: the token from memory, synchronously, while it is fresh (no promise, no await per
   * request); else a promise of the one refresh shared by all callers.
   */
  accessToken(): TokenSet | Promise<TokenSet> {
    const t = this.#current;
    if (t && this.#fresh(t)) return t;
    return this.#single(() => this.#obtain(t));
  }

  /** The server rejected `rejected` (401): use a newer token if anyone has one, else refresh once. */
  async onUnauthorized(rejected: TokenSet): Promise<TokenSet> {
    const cur = this.#current;
    if (cur && cur.accessToken !== rejected.accessToken && this.#fresh(cur)) return cur;
    if (this.#inflight) {
      const t = await this.#inflight;
      if (t.accessToken !== rejected.accessToken) return t;
    }
    return this.#single(() => this.#obtain(rejected));
  }

  /** The session's token as held (read from the store on first use); no network call. */
  async getToken(): Promise<TokenSet | undefined> {
    if (!this.#loaded) {
      if (this.#inflight) await this.#inflight.catch(() => undefined);
      else await this.#load();
    }
    return this.#current && { ...this.#current };
  }

  /** Uses a token obtained elsewhere (any `TokenInput`, read on this manager's clock). */
  async setToken(input: TokenInput): Promise<TokenSet> {
    const token = await this.#commit(normalizeTokenInput(input, this.#d.now()));
    this.#announce(token);
    return token;
  }

  /** Runs a grant now (an explicit login), inside the lock, and remembers the ttl options. */
  authorize(grant: Grant, options: AuthorizeOptions): Promise<TokenSet> {
    this.#authOptions = { ...options };
    const run = () =>
      this.#locked(async (live, commit) => {
        // What the store held before (unreadable is fine: the login replaces it), for a late answer.
        const from = await this.#get().catch((): Stored => UNREADABLE);
        return this.#settle(await this.#runGrant(grant), live, commit, from);
      });
    // Requests that arrive meanwhile wait for this login rather than start their own.
    const p = (this.#inflight ?? Promise.resolve()).catch(() => undefined).then(run);
    this.#track(p);
    return p.catch((e) => this.#fail(e));
  }

  /** Refreshes now, whatever the expiry (still once among concurrent callers). */
  refresh(): Promise<TokenSet> {
    return this.#single(async () => {
      // The stored token is the one to replace: without this, a fresh process would "refresh" by
      // reading it back.
      if (!this.#loaded) await this.#load();
      return this.#obtain(this.#current);
    });
  }

  /** Revokes the session at the server (ending it), then deletes the stored token (also when the revoke failed). */
  async revoke(): Promise<void> {
    await this.#d.store.withLock(this.#d.key, async () => {
      const token = (await this.#get()) ?? this.#current;
      try {
        if (token) await this.#d.endpoint.revoke(token.refreshToken ?? token.accessToken);
      } finally {
        // Signed out here whatever the server said: a revoke that failed (network, 5xx) still
        // rejects, so the caller knows the session may live on at RingCentral until it expires.
        this.#current = undefined;
        this.#loaded = true;
        await storeCall('delete', () => this.#d.store.delete(this.#d.key));
      }
    });
  }

  #fresh(t: TokenSet): boolean {
    const now = this.#d.now();
    let seen = this.#seenAt.get(t);
    if (seen === undefined) {
      seen = now;
      this.#seenAt.set(t, seen);
    }
    const skew = Math.min(this.#d.refreshSkewMs, (t.expiresAt - seen) / 2);
    return now < t.expiresAt - skew;
  }

  /**
   * Single flight, across failures too: every caller that arrives while an attempt runs shares its
   * outcome, success or failure; after a failure the next attempt waits a jittered backoff
   * (0.5–1 × 500 ms doubling, at most 10 s), and callers arriving meanwhile wait for that one
   * attempt. So an outage costs a handful of token requests, and recovery one.
   */
  #single(fn: () => Promise<TokenSet>): Promise<TokenSet> {
    if (this.#inflight) return this.#inflight;
    const wait = this.#retryAt - performance.now();
    const p = (wait > 0 ? sleep(wait).then(fn) : fn()).catch((e) => {
      if (!noBackoff(e)) {
        this.#retryAt = performance.now() + backoffDelay(this.#failures++, BACKOFF_BASE_MS, BACKOFF_MAX_MS);
      }
      return this.#fail(e);
    });
    this.#track(p);
    return p;
  }

  /**
   * Runs `fn` inside the store's lock, never for longer than the token endpoint's deadline plus a
   * margin: a grant or store that hangs must not hold the lock (and every process behind it) for
   * good. `live()` turns false once that bound has given up; `commit` stores a token, and the
   * 'token' event for it is emitted after the lock is released, so that listeners (which may well
   * write to the store) run in the caller's context, not in the lock holder's.
   */
  async #locked<T>(fn: (live: () => boolean, commit: Commit) => Promise<T>): Promise<T> {
    const ms = this.#d.tokenTimeoutMs + LOCK_MARGIN_MS;
    let expired = false;
    let released = false;
    const committed: TokenSet[] = [];
    const commit: Commit = async (token) => {
      const stored = await this.#commit(token);
      // A commit that finishes after the lock was let go (the bound expired while it was writing)
      // is announced at once: there is no later moment to do it.
      if (released) this.#announce(stored);
      else committed.push(stored);
      return stored;
    };
    try {
      return await observedLock(this.#d.observe, this.#d.key, (enter) =>
        this.#d.store.withLock(this.#d.key, () =>
          enter(() =>
            withDeadline(
              fn(() => !expired, commit),
              ms,
              () => {
                expired = true;
                return this.#lockTimeout();
              },
            ),
          ),
        ),
      );
    } finally {
      released = true;
      for (const token of committed.splice(0)) this.#announce(token);
    }
  }

  /**
   * Commits a token obtained inside `#locked`. One that arrives after the bound gave up (the lock
   * released, the caller told it timed out) takes the lock again, bounded too, and is kept only if
   * the store still holds what it was obtained from: another holder may have stored a newer token
   * meanwhile, which it must not overwrite; but if nobody did, dropping it could end the session
   * (RingCentral refresh tokens are single-use, and this one has just been spent). Nobody awaits
   * that late path: its failure is reported as an 'authError'.
   */
  #settle(token: TokenSet, live: () => boolean, commit: Commit, from: Stored): Promise<TokenSet> {
    if (live()) return commit(token);
    void this.#locked(async (_, lateCommit) => {
      const now = await this.#get().catch((): Stored => UNREADABLE);
      const unchanged =
        now === from || (now !== UNREADABLE && from !== UNREADABLE && now?.accessToken === from?.accessToken);
      if (unchanged) await lateCommit(token);
    }).catch((error: unknown) => {
      if (isRcError(error)) this.#d.emitter.emit('authError', error, this.#d.key);
    });
    return Promise.resolve(token); // to nobody: the bound has already answered the caller
  }

  #lockTimeout(): NetworkError {
    const ms = this.#d.tokenTimeoutMs + LOCK_MARGIN_MS;
    return new NetworkError(`obtaining a token for session "${this.#d.key}" took longer than ${ms} ms`, {
      timeout: true,
    });
  }

  #track(p: Promise<TokenSet>): void {
    this.#inflight = p;
    const clear = () => {
      if (this.#inflight === p) this.#inflight = undefined;
    };
    p.then(clear, clear);
  }

  #fail(error: unknown): never {
    if (isRcError(error) && ['RC_AUTH_REQUIRED', 'RC_OAUTH', 'RC_STORE', 'RC_NETWORK'].includes(error.code)) {
      this.#d.emitter.emit('authError', error as RcError, this.#d.key);
    }
    throw error;
  }

  async #get(): Promise<TokenSet | undefined> {
    return storeCall('get', () => this.#d.store.get(this.#d.key));
  }

  async #load(): Promise<TokenSet | undefined> {
    const stored = await this.#get();
    this.#loaded = true;
    if (stored) this.#current = stored;
    return stored;
  }

  async #obtain(stale: TokenSet | undefined): Promise<TokenSet> {
    // Another process may already hold a newer token (it refreshed first, or logged in). Reading
    // costs less than taking the lock, and when processes share a store it is often all we need.
    const stored = this.#loaded ? await this.#get() : await this.#load();
    if (stored && stored.accessToken !== stale?.accessToken && this.#fresh(stored)) {
      this.#current = stored;
      return stored;
    }
    return this.#locked(async (live, commit) => {
      const stored = await this.#get();
      if (stored && stored.accessToken !== stale?.accessToken && this.#fresh(stored)) {
        this.#current = stored; // another holder refreshed (or logged in) while we waited
        return stored;
      }
      // Past the bound (the caller already told it timed out, the lock let go), nothing more is
      // ours to start: no refresh, no login, no delete — another holder may be doing just that.
      const stillOurs = () => {
        if (!live()) throw this.#lockTimeout();
      };
      const base = stored ?? stale;
      const now = this.#d.now();
      if (base?.refreshToken && (base.refreshTokenExpiresAt ?? Number.POSITIVE_INFINITY) > now) {
        stillOurs();
        try {
          return await this.#settle(await this.#refreshWith(base.refreshToken), live, commit, stored);
        } catch (error) {
          if (!isInvalidGrant(error)) throw error;
        }
      }
      stillOurs();
      if (this.#d.grant?.unattended)
        return this.#settle(await this.#runGrant(this.#d.grant), live, commit, stored);
      if (base) await storeCall('delete', () => this.#d.store.delete(this.#d.key));
      this.#current = undefined;
      throw new AuthRequiredError(
        this.#d.key,
        base
          ? 'the refresh token was refused or has expired; call authorize() again'
          : 'no token is stored and the client has no unattended grant; call authorize() or setToken()',
      );
    });
  }

  #ttlParams(): TokenRequestParams {
    const o = this.#authOptions;
    return {
      access_token_ttl: o.accessTokenTtl === undefined ? undefined : String(o.accessTokenTtl),
      refresh_token_ttl: o.refreshTokenTtl === undefined ? undefined : String(o.refreshTokenTtl),
    };
  }

  #refreshWith(refreshToken: string): Promise<TokenSet> {
    return this.#d.endpoint.requestToken({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...this.#ttlParams(),
    });
  }

  #runGrant(grant: Grant): Promise<TokenSet> {
    const defaults: TokenRequestParams = { ...this.#ttlParams(), endpoint_id: this.#authOptions.endpointId };
    const ctx: GrantContext = {
      client: this.#d.client,
      tokenRequest: (params) => {
        const merged: TokenRequestParams = { ...defaults };
        for (const [k, v] of Object.entries(params)) if (v !== undefined) merged[k] = v;
        return this.#d.endpoint.requestToken(merged);
      },
    };
    return grant.requestToken(ctx);
  }

  /** Keeps the token in memory first (so this process keeps working), then stores it (listeners are told by the caller). */
  async #commit(input: TokenSet): Promise<TokenSet> {
    // Checked before memory is touched: a token the store would refuse is refused here too, so
    // memory and store never disagree (and a bad reply never replaces the good token).
    const checked = checkTokenSet(input);
    if (!checked.ok) {
      throw new OAuthError({
        error: 'invalid_token_response',
        errorDescription: `not a usable token (${checked.problem})`,
      });
    }
    const token = checked.token;
    this.#failures = 0;
    this.#retryAt = 0;
    this.#current = token;
    this.#loaded = true;
    this.#seenAt.set(token, this.#d.now());
    await storeCall('set', () => this.#d.store.set(this.#d.key, token));
    return token;
  }

  /** Tells the 'token' listeners (a copy: they cannot change ours). */
  #announce(token: TokenSet): void {
    this.#d.emitter.emit('token', { ...token }, this.#d.key);
  }
}
