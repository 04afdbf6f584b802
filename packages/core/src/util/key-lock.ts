// Per-key mutual exclusion inside one process, the one copy of it: core's default store, the
// memory store and its state use it, the Redis store queues its waiters in it (with withDeadline
// on the wait, so a waiter gives up at lockWaitMs), and store authors may too. Each key has a promise
// chain: a caller waits for the tail left by the previous holder, then leaves its own tail for the
// next. No polling, no timers (but the bound's). When the last holder of a key leaves and nobody
// queued behind it, the key's entry is removed, so a process serving many sessions keeps no
// bookkeeping for idle keys.

/**
 * A set of per-key locks for one process.
 * @example
 * const locks = new KeyLock();
 * withLock: (key, fn) => locks.run(key, fn),
 */
export class KeyLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Number of keys held or waited on: 0 when idle (for tests and diagnostics). */
  get size(): number {
    return this.#tails.size;
  }

  /**
   * Runs `fn` once every earlier caller for `key` has finished, and releases the key when `fn`
   * settles, whether it resolves, rejects or throws synchronously. Resolves or rejects as `fn` does.
   * `wait`, when given, is how to wait for the holder ahead, e.g. with a bound:
   * `(ahead) => withDeadline(ahead, ms, onTimeout)`. When it rejects, so does `run`, and `fn` never
   * runs (callers behind still wait for those ahead of it).
   */
  async run<T>(
    key: string,
    fn: () => Promise<T>,
    wait?: (ahead: Promise<void>) => Promise<void>,
  ): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The tail never rejects: it only says "the previous holder is done", whatever fn did.
    const tail = previous ? previous.then(() => released) : released;
    this.#tails.set(key, tail);
    try {
      if (previous) await (wait ? wait(previous) : previous);
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
