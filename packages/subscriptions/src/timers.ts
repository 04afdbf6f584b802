import { MAX_TIMER_MS } from './lifetime.js';

// Every timer of one subscription, in one place, so that close() can leave none behind: after
// stop(), no timer can be set any more (a reply that arrives late cannot schedule a renewal), and
// no delay leaves setTimeout's range (beyond 2^31-1 ms a timer fires at once).

type Timer = ReturnType<typeof setTimeout>;

/** The timers that exist once per subscription: a new one replaces the pending one. */
export type TimerSlot = 'renewal' | 'connection';

export class Timers {
  readonly #live = new Set<Timer>();
  readonly #slots: Partial<Record<TimerSlot, Timer | undefined>> = {};
  #stopped = false;

  /** Runs `fn` after `ms` (clamped to setTimeout's range); nothing once stopped. */
  after(ms: number, fn: () => void): Timer | undefined {
    if (this.#stopped) return undefined;
    const timer = setTimeout(
      () => {
        this.#live.delete(timer);
        fn();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, Math.floor(ms))),
    );
    this.#live.add(timer);
    return timer;
  }

  /**
   * Replaces the pending timer of a kind (one renewal, one connection renewal), so none pile up
   * across reconnects; without `fn`, only cancels it.
   */
  slot(kind: TimerSlot, ms = 0, fn?: () => void): void {
    const previous = this.#slots[kind];
    if (previous !== undefined) {
      clearTimeout(previous);
      this.#live.delete(previous);
    }
    this.#slots[kind] = fn && this.after(ms, fn);
  }

  /** Clears every timer; none can be set after this. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#live) clearTimeout(timer);
    this.#live.clear();
  }
}
