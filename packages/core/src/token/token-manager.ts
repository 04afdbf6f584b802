import type { AuthorizeOptions, TokenInput } from '../client-types.js';
import { AuthRequiredError } from '../errors/auth-required-error.js';
import { NetworkError } from '../errors/network-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import { isRcError, type RcError } from '../errors/rc-error.js';
import type { Emitter } from '../events.js';
import { type Observers, observedLock } from '../observe.js';
import type { ClientInfo, Grant, Lease, TokenRequestParams, TokenSet, TokenStore } from '../types.js';
import { backoffDelay } from '../util/backoff.js';
import { withDeadline } from '../util/deadline.js';
import { checkTokenSet } from './check.js';
import { leaseLost, runGrant, storeCall, withLease } from './foreign-calls.js';
import type { OAuthEndpoint } from './oauth-endpoint.js';
import { normalizeTokenInput } from './parse.js';

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

/** Stores a token through the lease held, and keeps it (see #commit). */
type Commit = (token: TokenSet) => Promise<TokenSet>;

const isInvalidGrant = (e: unknown) => e instanceof OAuthError && e.error === 'invalid_grant';

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

  /** Uses a token obtained elsewhere (any `TokenInput`, read on this manager's clock), stored under the lock. */
  async setToken(input: TokenInput): Promise<TokenSet> {
    const token = normalizeTokenInput(input, this.#d.now());
    return this.#locked((_, commit) => commit(token));
  }

  /** Runs a grant now (an explicit login), inside the lock, and remembers the ttl options. */
  authorize(grant: Grant, options: AuthorizeOptions): Promise<TokenSet> {
    this.#authOptions = { ...options };
    const run = () =>
      this.#locked(async (lease, commit) => commit(await this.#runGrant(grant, lease.signal)));
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
    await this.#withLock(async (lease) => {
      const token = (await this.#get()) ?? this.#current;
      try {
        if (token) await this.#d.endpoint.revoke(token.refreshToken ?? token.accessToken);
      } finally {
        // Signed out here whatever the server said: a revoke that failed (network, 5xx) still
        // rejects, so the caller knows the session may live on at RingCentral until it expires.
        this.#current = undefined;
        this.#loaded = true;
        await storeCall('delete', () => lease.delete(), this.#secrets(token));
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

  #withLock<T>(fn: (lease: Lease) => Promise<T>): Promise<T> {
    // Observers (Plugin.observe) see the wait for the lock, up to the moment it is held.
    return observedLock(this.#d.observe, this.#d.key, (enter) =>
      withLease(this.#d.store, this.#d.key, (lease) => enter(() => fn(lease)), this.#secrets()),
    );
  }

  /**
   * Runs `fn` inside the store's lock, never for longer than the token endpoint's deadline plus a
   * margin: a grant or store that hangs must not hold the lock (and every process behind it) for
   * good. When that bound passes, `fn`'s promise is given up on, so the store ends the lease: its
   * signal aborts the token request, and a token that arrives anyway cannot be stored (see
   * #commit). `commit` stores a token through the lease; the 'token' event for it is emitted after
   * the lock is released, so that listeners (which may well write to the store) run in the
   * caller's context, not in the lock holder's.
   */
  async #locked<T>(fn: (lease: Lease, commit: Commit) => Promise<T>): Promise<T> {
    const ms = this.#d.tokenTimeoutMs + LOCK_MARGIN_MS;
    let released = false;
    const committed: TokenSet[] = [];
    try {
      return await this.#withLock((lease) => {
        const commit: Commit = async (token) => {
          const stored = await this.#commit(lease, token);
          // A write that started in time but landed after the bound gave up (the store took it:
          // the lease still held when it began) is announced at once: there is no later moment.
          if (released) this.#announce(stored);
          else committed.push(stored);
          return stored;
        };
        return withDeadline(fn(lease, commit), ms, () => this.#lockTimeout());
      });
    } finally {
      released = true;
      for (const token of committed.splice(0)) this.#announce(token);
    }
  }

  #lockTimeout(): NetworkError {
    const ms = this.#d.tokenTimeoutMs + LOCK_MARGIN_MS;
    return new NetworkError(`obtaining a token for session "${this.#d.key}" took longer than ${ms} ms`, {
      timeout: true,
    });
  }

  /** Past the lease (its bound passed, the lock was lost), nothing more is ours to start. */
  #stillHeld(signal: AbortSignal): void {
    if (signal.aborted) throw leaseLost(signal, this.#d.key, this.#secrets());
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

  /** The secrets this manager knows, to scrub by value from what a store or grant throws. */
  #secrets(...tokens: Array<TokenSet | undefined>): Array<string | undefined> {
    return [this.#current, ...tokens].flatMap((t) => [t?.accessToken, t?.refreshToken]);
  }

  async #get(): Promise<TokenSet | undefined> {
    return storeCall('get', () => this.#d.store.get(this.#d.key), this.#secrets());
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
    return this.#locked(async (lease, commit) => {
      const stored = await this.#get();
      if (stored && stored.accessToken !== stale?.accessToken && this.#fresh(stored)) {
        this.#current = stored; // another holder refreshed (or logged in) while we waited
        return stored;
      }
      // Past the lease, no refresh, no login, no delete: another holder may be doing just that
      // (the refresh and the grant's request are also stopped by lease.signal).
      const base = stored ?? stale;
      const now = this.#d.now();
      if (base?.refreshToken && (base.refreshTokenExpiresAt ?? Number.POSITIVE_INFINITY) > now) {
        this.#stillHeld(lease.signal);
        try {
          return await commit(await this.#refreshWith(base.refreshToken, lease.signal));
        } catch (error) {
          if (!isInvalidGrant(error)) throw error;
        }
      }
      this.#stillHeld(lease.signal);
      if (this.#d.grant?.unattended) return commit(await this.#runGrant(this.#d.grant, lease.signal));
      if (base) await storeCall('delete', () => lease.delete(), this.#secrets(base));
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

  #refreshWith(refreshToken: string, signal: AbortSignal): Promise<TokenSet> {
    return this.#d.endpoint.requestToken(
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...this.#ttlParams() },
      signal,
    );
  }

  #runGrant(grant: Grant, signal: AbortSignal): Promise<TokenSet> {
    const defaults: TokenRequestParams = { ...this.#ttlParams(), endpoint_id: this.#authOptions.endpointId };
    const ctx = {
      client: this.#d.client,
      signal,
      tokenRequest: (params: TokenRequestParams) => {
        const merged: TokenRequestParams = { ...defaults };
        for (const [k, v] of Object.entries(params)) if (v !== undefined) merged[k] = v;
        return this.#d.endpoint.requestToken(merged, signal);
      },
    };
    return runGrant(grant, ctx, this.#d.key, this.#secrets());
  }

  /**
   * Stores a token through the lease, then keeps it in memory. A write the store refuses because
   * the lease ended drops the token: not stored, not kept, not announced. That is also the fate of
   * a token that arrives after the lock's bound (a slow endpoint, a grant that ignored the signal):
   * another holder may have stored a newer token meanwhile, which it must never overwrite.
   *
   * A rotated refresh token dropped that way is not a lost session. RingCentral keeps the old
   * refresh token working until the new access token is first used (its refresh grace), and a
   * dropped token is never used: the next refresh, by us or by whoever holds the lock next, spends
   * the stored refresh token again and gets a good pair. Against a server without that grace the
   * cost is one login (`invalid_grant`, then the unattended grant) or AuthRequiredError, never a
   * newer token overwritten. A write that fails for another reason (the store is down, the lease
   * still held) keeps the token in memory, so this process keeps working, and rejects.
   */
  async #commit(lease: Lease, input: TokenSet): Promise<TokenSet> {
    // Checked before anything is touched: a token the store would refuse is refused here too, so
    // memory and store never disagree (and a bad reply never replaces the good token).
    const checked = checkTokenSet(input);
    if (!checked.ok) {
      throw new OAuthError({
        error: 'invalid_token_response',
        errorDescription: `not a usable token (${checked.problem})`,
      });
    }
    const token = checked.token;
    this.#stillHeld(lease.signal);
    try {
      await storeCall('set', () => lease.set(token), this.#secrets(token));
    } catch (error) {
      if (!lease.signal.aborted) this.#keep(token);
      throw error;
    }
    this.#keep(token);
    return token;
  }

  #keep(token: TokenSet): void {
    this.#failures = 0;
    this.#retryAt = 0;
    this.#current = token;
    this.#loaded = true;
    this.#seenAt.set(token, this.#d.now());
  }

  /** Tells the 'token' listeners (a copy: they cannot change ours). */
  #announce(token: TokenSet): void {
    this.#d.emitter.emit('token', { ...token }, this.#d.key);
  }
}
