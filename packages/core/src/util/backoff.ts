// The one retry delay of the packages: the token manager after a failed refresh, the Redis lock
// while another process holds it, subscriptions reconnecting. Exported for store and plugin
// authors, who need the same thing.

/**
 * "Equal jitter": half of `ms` fixed, half random, so that processes that failed together do not
 * come back together, while none comes back at once.
 */
export function jitter(ms: number): number {
  return ms / 2 + Math.random() * (ms / 2);
}

/**
 * The delay before retry `attempt` (0-based): exponential from `baseMs`, capped at `maxMs`, with
 * {@link jitter}; whole milliseconds, within [ceiling/2, ceiling].
 * @example setTimeout(retry, backoffDelay(failures++, 500, 10_000));
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.floor(jitter(Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30))));
}
