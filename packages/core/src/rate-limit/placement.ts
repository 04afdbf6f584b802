// Which rate limiter a client uses: one placed in `plugins` (found by its brand, never by its
// name), else the built-in one made from `createClient({ rateLimit })`, or none (`rateLimit: false`).
// Kept beside the limiter so that the client sees it as one plugin among the others plus the
// few facts below, not as rules of its own.

import { ConfigError } from '../errors/config-error.js';
import type { Plugin } from '../types.js';
import type { RateLimiter } from './limiter.js';
import { DEFAULT_MAX_WAIT_MS, type RateLimitOptions } from './options.js';
import { limiterOf, rateLimit } from './plugin.js';

export interface LimiterPlacement {
  /** The client's plugins: the built-in limiter first (outermost) when there is one, then the given ones. */
  readonly plugins: Plugin[];
  /** The limiter's plugin, placed or built in; undefined when rate limiting is off. */
  readonly plugin: Plugin | undefined;
  readonly limiter: RateLimiter | undefined;
  /** The longest wait for a rate limit (ky's `retry.maxRetryAfter` is bounded by it), limiter or not. */
  readonly maxWaitMs: number;
}

/**
 * Finds or builds the client's rate limiter. The built-in one goes outermost: a request waiting
 * for its group must not hold a concurrency slot. `now` is the client's clock, the limiter's
 * unless its options give one.
 */
export function placeLimiter(
  plugins: readonly Plugin[],
  options: RateLimitOptions | false | undefined,
  now: () => number,
): LimiterPlacement {
  const placed = plugins.filter((p) => limiterOf(p) !== undefined);
  if (placed.length > 1)
    throw new ConfigError('createClient(): give at most one rateLimit() plugin', 'plugins');
  if (placed.length === 1 && options !== undefined) {
    throw new ConfigError(
      'createClient(): `rateLimit` options do not apply to a rateLimit() placed in `plugins`: pass them to that plugin (or leave it out to turn rate limiting off)',
      'rateLimit',
    );
  }
  const builtIn =
    placed[0] || options === false ? undefined : rateLimit({ ...options, now: options?.now ?? now });
  const plugin = placed[0] ?? builtIn;
  const limiter = limiterOf(plugin);
  return {
    plugins: builtIn ? [builtIn, ...plugins] : [...plugins],
    plugin,
    limiter,
    maxWaitMs: limiter?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
  };
}
