// The one deadline race of the packages: the token manager's bound on work inside the lock, the
// Redis store's commands, connect, close and lock queue (through KeyLock's wait), subscriptions'
// waits. Exported for store and plugin authors.

/**
 * Settles like `work`, or rejects with `onTimeout()` once `ms` have passed, whichever comes first.
 * The timer never outlives the race (it does not keep the process alive afterwards). `work` itself
 * is not stopped: give it an AbortSignal of its own when it can be.
 * @example await withDeadline(client.connect(), 2_000, () => new StoreError('connect', 'timed out'));
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
