import { StoreError } from '../errors/store-error.js';
import type { Lease, TokenSet } from '../types.js';
import type { KeyLock } from './key-lock.js';

// The lease of a lock that lives in this process (a KeyLock), the one copy of it: core's default
// store and @rc/store-memory use it, and store authors whose lock is in-process may too. Each
// `withLock` call is one generation of the key's lock; its lease ends, for good, when `fn`
// settles. The fencing check — has this generation ended? — and the start of the write are one
// synchronous step, so a write that starts after the lease ended is refused, and one that started
// before it is ahead, in this process's order, of anything the next holder writes.

/** How the store writes the locked key: what the lease calls while it holds. */
export interface LeaseWrites {
  set(token: TokenSet): Promise<void>;
  delete(): Promise<void>;
}

/** What {@link runWithLocalLease} needs. */
export interface LocalLeaseOptions {
  /** The process's locks. */
  readonly locks: KeyLock;
  /** The lock's id in `locks` (a store may prefix the key with its namespace). */
  readonly lockId: string;
  /** The session key, as the caller gave it (for `lease.key` and messages). */
  readonly key: string;
  /** The store, for messages: `'the memory store'`. */
  readonly store: string;
  /** The writes of the locked key. */
  readonly writes: LeaseWrites;
}

/** The `StoreError` for a write through a lease that has ended ("Lock lost: ..."). */
export function leaseEnded(operation: string, store: string, key: string, why: string): StoreError {
  return new StoreError(
    operation,
    `Lock lost: the lease on "${key}" in ${store} ${why}${operation === 'lock' ? '' : `; this ${operation} was refused`}`,
  );
}

/**
 * `withLock` for a store whose lock is in this process: runs `fn(lease)` once every earlier holder
 * of `lockId` is done, and ends the lease (aborts its signal, refuses its writes) when `fn` settles.
 * @example
 * withLock: (key, fn) =>
 *   runWithLocalLease({ locks, lockId: key, key, store: 'my store', writes: {
 *     set: (token) => store.set(key, token), delete: () => store.delete(key) } }, fn),
 */
export function runWithLocalLease<T>(
  options: LocalLeaseOptions,
  fn: (lease: Lease) => Promise<T>,
): Promise<T> {
  const { locks, lockId, key, store, writes } = options;
  return locks.run(lockId, async () => {
    const controller = new AbortController();
    const ended = (operation: string) => leaseEnded(operation, store, key, 'ended with its withLock');
    const guarded = (operation: string, write: () => Promise<void>): Promise<void> =>
      controller.signal.aborted ? Promise.reject(ended(operation)) : write();
    const lease: Lease = {
      key,
      signal: controller.signal,
      set: (token) => guarded('set', () => writes.set(token)),
      delete: () => guarded('delete', () => writes.delete()),
    };
    try {
      return await fn(lease);
    } finally {
      controller.abort(ended('lock'));
    }
  });
}
