// The optional capabilities of a TokenStore, on a sheet of their own so that the three contracts
// (types.ts) fit one screen: state records and leases for extensions (StateStore), rate-limit
// penalties and budgets shared by every client on the store. A store implements any of them, or
// none; `supportsState()` and `supportsBudget()` (state.ts) tell which.

/**
 * An optional capability of a `TokenStore`: small JSON state records and leases, for features
 * that need to keep a little state where the tokens are, and to elect one process among those
 * sharing the store. `@rc/subscriptions` uses it to recover a WebSocket session after a restart
 * (the record holds the session's recovery token) and to let one of several processes hold the
 * connection (the lease).
 *
 * Why this lease and not `withLock`: `withLock` is held only while one function runs. This lease
 * is held for as long as its owner renews it (a WebSocket connection kept for hours), and each
 * renewal says whether the owner still holds it, so a holder that lost it (a frozen process, an
 * unreachable store) stops instead of working on beside its successor.
 *
 * State and lease keys live apart from token keys: `getState('a')` never reads the token under `a`.
 * Errors surface as `StoreError`, as for tokens. `@rc/store-memory` and `@rc/store-redis`
 * implement it; check with `supportsState(store)`.
 */
export interface StateStore {
  /** The JSON value stored under `key`, or `undefined` when there is none (or it expired). */
  getState(key: string): Promise<unknown>;
  /** Stores a JSON-serialisable `value` under `key` for `ttlMs` milliseconds. */
  setState(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Removes the state record under `key` (nothing to remove is fine). */
  deleteState(key: string): Promise<void>;
  /**
   * Takes the lease on `key` for `owner` when it is free (or expired), or renews it when `owner`
   * holds it; either way it then lasts `ttlMs` from now. Resolves to `true` when `owner` holds it,
   * `false` when someone else does. Atomic among everyone sharing the store.
   */
  acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives up the lease if `owner` holds it (never someone else's). */
  releaseLease(key: string, owner: string): Promise<void>;
}

/**
 * An optional `TokenStore` capability: a board of rate-limit penalties (group name → the
 * penalty's end, in epoch ms) shared by every client on the store. The client's rate limiter
 * subscribes and loads once when the client is made, and publishes only when it meets a 429: a
 * request costs the store nothing. Best effort: a failure here never fails a request.
 *
 * @example
 * // in one process, with no other processes to tell (what memoryStore() does):
 * const listeners = new Set<(group: string, until: number) => void>();
 * const ends = new Map<string, number>();
 * const penalties: SharedPenalties = {
 *   async publish(group, until) { ends.set(group, Math.max(until, ends.get(group) ?? 0)); for (const l of listeners) l(group, until); },
 *   subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
 *   async load() { return Object.fromEntries([...ends].filter(([, until]) => until > Date.now())); },
 * };
 */
export interface SharedPenalties {
  /** Tells everyone on the store (this client included) that `group` is paused until `untilEpochMs`. A later end wins. */
  publish(group: string, untilEpochMs: number): Promise<void>;
  /** Calls `listener` for every penalty published from now on; returns the unsubscribe function. */
  subscribe(listener: (group: string, untilEpochMs: number) => void): () => void;
  /** The penalties still running (group → end), for a client that starts during one. */
  load(): Promise<Record<string, number>>;
}

/**
 * An optional `TokenStore` capability: one rate-limit budget per group for every client on
 * the store, a sliding window of `limit` requests per `windowMs`. The rate limiter takes slices of
 * it, several requests at a time, only for named groups. A slice is a reservation: its requests
 * go at one instant, now or when the window frees them, so processes queue at the store instead of
 * polling it. Limits and windows are the replies' (`X-Rate-Limit-*`), passed with each call; 0
 * means "not known here": the store then uses the last ones passed by anyone, and grants what is
 * asked, now, while none are known (still counting it). Best effort: the limiter falls back to its
 * own pacing when a call fails.
 */
export interface SharedBudget {
  /**
   * Reserves up to `want` requests of `group`'s window, all to go at one instant (see
   * {@link BudgetSlice}). `spent`: what the server reported spent in the window (the limit minus
   * `Remaining`) in a reply `spentAgoMs` ago; the store counts at least that many up to then
   * (requests it did not grant, sent before the group was paced, count too).
   */
  take(
    group: string,
    want: number,
    limit: number,
    windowMs: number,
    spent?: number,
    spentAgoMs?: number,
  ): Promise<BudgetSlice>;
}

/** What {@link SharedBudget.take} reserved. */
export interface BudgetSlice {
  /** How many requests were reserved (at least 1 when `want` was). */
  readonly granted: number;
  /** In how many ms they may go (0: now). They count in the window from then on, sent or not. */
  readonly inMs: number;
}
