import pLimit from 'p-limit';
import { ErrorCodes } from '../errors/codes.js';
import { ConfigError } from '../errors/config-error.js';
import { RcError } from '../errors/rc-error.js';
import type { Plugin } from '../types.js';
import { abortable } from '../util/abortable.js';
import { checkOptions } from '../util/check-options.js';

/** Options of {@link concurrency}. */
export interface ConcurrencyOptions {
  /** How many requests may be in flight at once (until their response headers arrive). */
  max: number;
  /**
   * How many requests may wait for a slot; one more is refused with an `RcError` of code
   * `RC_QUEUE_FULL` rather than queued without bound.
   * @default Infinity
   */
  maxQueue?: number | undefined;
}

/**
 * Caps the requests in flight, over p-limit, at the transport: a slot is held only while a request
 * is on the wire, never through ky's retry delays, and is released on every outcome (response,
 * error, abort, timeout). A request aborted while it waits leaves the queue at once.
 *
 * @example
 * createClient({ ..., plugins: [concurrency({ max: 8, maxQueue: 1000 })] });
 */
export function concurrency(options: ConcurrencyOptions): Plugin {
  checkOptions(options, ['max', 'maxQueue'], 'concurrency()');
  const { max, maxQueue = Number.POSITIVE_INFINITY } = options;
  if (!Number.isInteger(max) || max < 1)
    throw new ConfigError('concurrency(): `max` must be an integer ≥ 1', 'max');
  if (!(maxQueue === Number.POSITIVE_INFINITY || (Number.isInteger(maxQueue) && maxQueue >= 0))) {
    throw new ConfigError('concurrency(): `maxQueue` must be an integer ≥ 0', 'maxQueue');
  }
  const limit = pLimit(max);
  return {
    name: 'concurrency',
    fetch: (next) => (input, init) => {
      if (limit.activeCount >= max && limit.pendingCount >= maxQueue) {
        return Promise.reject(
          new RcError(
            ErrorCodes.QUEUE_FULL,
            `concurrency(): ${maxQueue} requests are already waiting; try again later`,
          ),
        );
      }
      const signal = input instanceof Request ? input.signal : (init?.signal ?? undefined);
      const task = limit(() => {
        // Aborted while queued: give the slot straight back.
        signal?.throwIfAborted();
        return next(input, init);
      });
      // Reject at once on abort, without waiting for a slot; the queued task then throws when it
      // starts and frees the slot immediately.
      return abortable(task, signal) as Promise<Response>;
    },
  };
}
