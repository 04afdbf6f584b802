// Per-key mutual exclusion inside one process, the one copy of it: core's default store, the
// memory store and its state use it, and store authors may too. (The Redis store's in-process
// queue of waiters is its own: it gives up at lockWaitMs, which this has no notion of.) Each
// key has a promise chain: a caller waits for the tail left by the previous holder, then leaves
// its own tail for the next. No polling, no timers. When the last holder of a key leaves and nobody
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
   */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The tail never rejects: it only says "the previous holder is done", whatever fn did.
    const tail = previous ? previous.then(() => released) : released;
    this.#tails.set(key, tail);
    try {
      if (previous) await previous;
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
