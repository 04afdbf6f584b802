// The options of undiciFetch(), checked when it is called (a bad one throws at once, naming the
// option, never on the first request), and the connection pool they describe.
import { Agent, type Dispatcher } from 'undici';

/** Options of {@link undiciFetch}, checked at the call. */
export interface UndiciFetchOptions {
  /**
   * Connections kept open per origin (the RingCentral server and its token endpoint share one).
   * Requests beyond it wait in undici's queue.
   * @default unlimited (undici's `Agent` default)
   * @example undiciFetch({ connections: 32 })
   */
  connections?: number | undefined;
  /**
   * HTTP/1.1 requests sent on one connection before the previous answer arrived. `1` (no
   * pipelining) is what browsers and Node's global fetch do; more helps only against servers that
   * answer in order quickly.
   * @default 1
   * @see https://undici.nodejs.org/#/docs/api/Client?id=parameter-clientoptions
   */
  pipelining?: number | undefined;
  /**
   * How long an idle connection is kept for the next request, in ms, unless the server's
   * `Keep-Alive: timeout=` says less.
   * @default 4000 (undici's default)
   */
  keepAliveTimeoutMs?: number | undefined;
  /**
   * Your own undici dispatcher (an `Agent`, `Pool`, `ProxyAgent`, `MockAgent`, or one with
   * interceptors). It is used as is, `connections`/`pipelining`/`keepAliveTimeoutMs` must then be
   * left out, and `close()` leaves it open: whoever created a dispatcher closes it.
   */
  dispatcher?: Dispatcher | undefined;
}

const KNOWN = new Set(['connections', 'pipelining', 'keepAliveTimeoutMs', 'dispatcher']);

function fail(option: string, what: string): never {
  throw new TypeError(`undiciFetch: option "${option}" ${what}`);
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** The dispatcher requests go through, and whether undiciFetch created it (and so closes it). */
export function resolveDispatcher(options: UndiciFetchOptions): { dispatcher: Dispatcher; owned: boolean } {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) fail(key, `is not an option (known: ${[...KNOWN].join(', ')})`);
  }
  const { connections, pipelining, keepAliveTimeoutMs, dispatcher } = options;
  if (connections !== undefined && !isPositiveInteger(connections))
    fail('connections', 'must be an integer > 0');
  if (pipelining !== undefined && !isPositiveInteger(pipelining))
    fail('pipelining', 'must be an integer > 0');
  if (keepAliveTimeoutMs !== undefined && !isPositiveInteger(keepAliveTimeoutMs)) {
    fail('keepAliveTimeoutMs', 'must be an integer number of ms > 0');
  }
  if (dispatcher !== undefined) {
    if (typeof dispatcher?.dispatch !== 'function') fail('dispatcher', 'must be an undici Dispatcher');
    const pool = ['connections', 'pipelining', 'keepAliveTimeoutMs'].find(
      (k) => options[k as keyof UndiciFetchOptions] !== undefined,
    );
    if (pool) fail(pool, 'configures undiciFetch’s own pool: set it on your dispatcher instead');
    return { dispatcher, owned: false };
  }
  const agent = new Agent({
    ...(connections !== undefined && { connections }),
    ...(pipelining !== undefined && { pipelining }),
    ...(keepAliveTimeoutMs !== undefined && { keepAliveTimeout: keepAliveTimeoutMs }),
  });
  return { dispatcher: agent, owned: true };
}
