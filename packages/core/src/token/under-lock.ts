// How the token manager works under the store's lock, apart from what it decides there: the wait
// for the lock (seen by observers), the bound on the work (a hung grant or store must not hold the
// lock, and every process behind it, for good), tokens written only through the lease, and the
// 'token' event held until the lock is released. token-manager.ts decides what to do; this file is
// how it is done safely.
import { NetworkError } from '../errors/network-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import { type Observers, observedLock } from '../observe.js';
import type { Lease, TokenSet, TokenStore } from '../types.js';
import { withDeadline } from '../util/deadline.js';
import { checkTokenSet } from './check.js';
import { leaseLost, storeCall, withLease } from './foreign-calls.js';

/** Time for the store calls around a token request inside the lock (a re-read, a write). */
const LOCK_MARGIN_MS = 2_000;

/** What work under the lock needs of the session it works for. */
export interface LockedSession {
  key: string;
  store: TokenStore;
  /** The token endpoint's deadline: work inside the store's lock is bounded by it (plus a margin). */
  tokenTimeoutMs: number;
  /** The plugins' observers, when any plugin observes: told of waits for the store's lock. */
  observe?: Observers | undefined;
  /** The secrets the session knows (and those of `tokens`), to scrub by value from what a store throws. */
  secrets(...tokens: Array<TokenSet | undefined>): Array<string | undefined>;
  /** Keeps a token the store took (or would have taken: see {@link commitToken}) in memory. */
  keep(token: TokenSet): void;
  /** Tells the 'token' listeners. */
  announce(token: TokenSet): void;
}

/** Stores a token through the lease held, and keeps it (see {@link commitToken}). */
export type Commit = (token: TokenSet) => Promise<TokenSet>;

/** `store.withLock` for the session; observers (Plugin.observe) see the wait, up to the moment it is held. */
export function withObservedLease<T>(s: LockedSession, fn: (lease: Lease) => Promise<T>): Promise<T> {
  return observedLock(s.observe, s.key, (enter) =>
    withLease(s.store, s.key, (lease) => enter(() => fn(lease)), s.secrets()),
  );
}

/** Past the lease (its bound passed, the lock was lost), nothing more is ours to start. */
export function stillHeld(s: LockedSession, signal: AbortSignal): void {
  if (signal.aborted) throw leaseLost(signal, s.key, s.secrets());
}

/**
 * Runs `fn` inside the store's lock, never for longer than the token endpoint's deadline plus a
 * margin. When that bound passes, `fn`'s promise is given up on, so the store ends the lease: its
 * signal aborts the token request, and a token that arrives anyway cannot be stored (see
 * {@link commitToken}). `commit` stores a token through the lease; the 'token' event for it is
 * emitted after the lock is released, so that listeners (which may well write to the store) run in
 * the caller's context, not in the lock holder's.
 */
export async function underLock<T>(
  s: LockedSession,
  fn: (lease: Lease, commit: Commit) => Promise<T>,
): Promise<T> {
  const ms = s.tokenTimeoutMs + LOCK_MARGIN_MS;
  let released = false;
  const committed: TokenSet[] = [];
  try {
    return await withObservedLease(s, (lease) => {
      const commit: Commit = async (token) => {
        const stored = await commitToken(s, lease, token);
        // A write that started in time but landed after the bound gave up (the store took it:
        // the lease still held when it began) is announced at once: there is no later moment.
        if (released) s.announce(stored);
        else committed.push(stored);
        return stored;
      };
      const timeout = () =>
        new NetworkError(`obtaining a token for session "${s.key}" took longer than ${ms} ms`, {
          timeout: true,
        });
      return withDeadline(fn(lease, commit), ms, timeout);
    });
  } finally {
    released = true;
    for (const token of committed.splice(0)) s.announce(token);
  }
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
async function commitToken(s: LockedSession, lease: Lease, input: TokenSet): Promise<TokenSet> {
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
  stillHeld(s, lease.signal);
  try {
    await storeCall('set', () => lease.set(token), s.secrets(token));
  } catch (error) {
    if (!lease.signal.aborted) s.keep(token);
    throw error;
  }
  s.keep(token);
  return token;
}
