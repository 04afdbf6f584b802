// The session's token over time: what the client holds, when it refreshes, who waits for whom, how
// it backs off. The lock's mechanics are in under-lock.ts; the forms sent, in oauth-endpoint.ts.
import type { AuthorizeOptions, TokenInput } from '../client-types.js';
import { AuthRequiredError } from '../errors/auth-required-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import { isRcError, type RcError } from '../errors/rc-error.js';
import type { Emitter } from '../events.js';
import type { ClientInfo, Grant, TokenRequestParams, TokenSet, TokenStore } from '../types.js';
import { backoffDelay } from '../util/backoff.js';
import { runGrant, storeCall } from './foreign-calls.js';
import type { OAuthEndpoint } from './oauth-endpoint.js';
import { normalizeTokenInput } from './parse.js';
import { type LockedSession, stillHeld, underLock, withObservedLease } from './under-lock.js';

export interface TokenManagerDeps
  extends Pick<LockedSession, 'key' | 'store' | 'tokenTimeoutMs' | 'observe'> {
  endpoint: OAuthEndpoint;
  client: ClientInfo;
  /** The unattended grant that logs this session in (again) without a person; none for most sessions. */
  grant: Grant | undefined;
  now: () => number;
  refreshSkewMs: number;
  emitter: Emitter;
}

/** Backoff after a failed refresh or login: doubling from this, jittered, capped. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/** Errors with nothing to protect by waiting: no endpoint was failing (or a person must act). */
const noBackoff = (e: unknown) => isRcError(e) && (e.code === 'RC_AUTH_REQUIRED' || e.code === 'RC_CONFIG');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  /** This session as work under the store's lock sees it (under-lock.ts). */
  readonly #session: LockedSession;

  constructor(deps: TokenManagerDeps) {
    this.#d = deps;
    const { key, store, tokenTimeoutMs, observe } = deps;
    this.#session = {
      key,
      store,
      tokenTimeoutMs,
      observe,
      secrets: (...tokens) => this.#secrets(...tokens),
      keep: (token) => this.#keep(token),
      announce: (token) => this.#d.emitter.emit('token', { ...token }, key), // a copy: they cannot change ours
    };
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
    return underLock(this.#session, (_, commit) => commit(token));
  }

  /** Runs a grant now (an explicit login), inside the lock, and remembers the ttl options. */
  authorize(grant: Grant, options: AuthorizeOptions): Promise<TokenSet> {
    this.#authOptions = { ...options };
    const run = () =>
      underLock(this.#session, async (lease, commit) => commit(await this.#runGrant(grant, lease.signal)));
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
    await withObservedLease(this.#session, async (lease) => {
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
    return underLock(this.#session, async (lease, commit) => {
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
        stillHeld(this.#session, lease.signal);
        try {
          return await commit(await this.#refreshWith(base.refreshToken, lease.signal));
        } catch (error) {
          if (!isInvalidGrant(error)) throw error;
        }
      }
      stillHeld(this.#session, lease.signal);
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

  #refreshWith(refreshToken: string, signal: AbortSignal): Promise<TokenSet> {
    return this.#d.endpoint.refresh(refreshToken, this.#authOptions, signal);
  }

  #runGrant(grant: Grant, signal: AbortSignal): Promise<TokenSet> {
    const options = this.#authOptions;
    const ctx = {
      client: this.#d.client,
      signal,
      tokenRequest: (params: TokenRequestParams) => this.#d.endpoint.grantRequest(params, options, signal),
    };
    return runGrant(grant, ctx, this.#d.key, this.#secrets());
  }

  #keep(token: TokenSet): void {
    this.#failures = 0;
    this.#retryAt = 0;
    this.#current = token;
    this.#loaded = true;
    this.#seenAt.set(token, this.#d.now());
  }
}
