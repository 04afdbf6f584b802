import { OAuthError } from '../errors/oauth-error.js';
import { isRcError } from '../errors/rc-error.js';
import { safeCause } from '../errors/safe-cause.js';
import { StoreError } from '../errors/store-error.js';
import type { Grant, GrantContext, Lease, TokenSet, TokenStore } from '../types.js';

// The token manager's calls into code it did not write — the user's store and grants — and what
// becomes of what they throw: an RcError whatever it was (a third-party store or grant may throw
// anything), its cause made safe by safeCause and scrubbed by value of the tokens the client holds
// (`secrets`), which generic scrubbing only catches when they look like tokens.

type Secrets = ReadonlyArray<string | undefined>;

/** Runs a store call; what it throws that is not an RcError becomes a StoreError for `operation`. */
export async function storeCall<T>(operation: string, fn: () => Promise<T>, secrets: Secrets): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isRcError(error)) throw error;
    throw new StoreError(operation, `token store ${operation} failed`, { cause: safeCause(error, secrets) });
  }
}

/** The error to stop with once a lease has ended: the store's reason, or a StoreError "Lock lost". */
export function leaseLost(signal: AbortSignal, key: string, secrets: Secrets): Error {
  const reason: unknown = signal.reason;
  if (isRcError(reason)) return reason;
  return new StoreError('lock', `Lock lost on "${key}"`, {
    cause: safeCause(reason, secrets),
  });
}

/**
 * `store.withLock(key, fn)`: a failure of the lock itself (not of fn, whose errors are RcErrors) is
 * a StoreError `lock`, and a store written for the contract before leases is refused rather than
 * run without one.
 */
export function withLease<T>(
  store: TokenStore,
  key: string,
  fn: (lease: Lease) => Promise<T>,
  secrets: Secrets,
): Promise<T> {
  const run = () =>
    store.withLock(key, async (lease) => {
      if (typeof lease?.set !== 'function' || !(lease.signal instanceof AbortSignal))
        throw new StoreError('lock', 'the store gave no lease (docs/writing-a-store.md)');
      return fn(lease);
    });
  return storeCall('lock', run, secrets);
}

/**
 * Runs a grant. What it throws that is not an RcError (a bug in a custom grant, a failed read of its
 * credential) becomes an OAuthError `grant_failed`; a grant that stopped because its lease ended
 * (`ctx.signal`) stops with the lease's reason.
 */
export async function runGrant(
  grant: Grant,
  ctx: GrantContext & { signal: AbortSignal },
  key: string,
  secrets: Secrets,
): Promise<TokenSet> {
  try {
    return await grant.requestToken(ctx);
  } catch (error) {
    if (isRcError(error)) throw error;
    if (ctx.signal.aborted) throw leaseLost(ctx.signal, key, secrets);
    const cause = safeCause(error, secrets);
    throw new OAuthError({
      error: 'grant_failed',
      errorDescription: `the "${grant.name}" grant threw ${cause.name}`,
      cause,
    });
  }
}
