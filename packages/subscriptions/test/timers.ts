// Counts the timers the package's own source sets: each setTimeout whose caller is a file under
// packages/subscriptions/src is recorded until it fires or is cleared. `pending()` after close()
// must be empty ("close() leaves no timer"), and `started()` measures how often timers are set.

const SRC = /packages[\\/]subscriptions[\\/]src[\\/]/;

export interface TimerLog {
  /** Timers set by the package and neither fired nor cleared: their delays, in ms. */
  pending(): number[];
  /** Every delay the package asked for since the log started, in ms. */
  started(): number[];
  restore(): void;
}

export function trackTimers(): TimerLog {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const live = new Map<unknown, number>();
  const all: number[] = [];
  const patchedSet = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const ours = SRC.test(new Error().stack ?? '');
    const timer: unknown = realSet(
      (...a: unknown[]) => {
        live.delete(timer);
        fn(...a);
      },
      ms,
      ...args,
    );
    if (ours) {
      live.set(timer, ms ?? 0);
      all.push(ms ?? 0);
    }
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = patchedSet;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    live.delete(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  return {
    pending: () => [...live.values()],
    started: () => [...all],
    restore() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}
