import type { ResponsePromise } from 'ky';
import { toNetworkError } from '../errors/network-error.js';
import { isRcError } from '../errors/rc-error.js';

// ky runs its error hooks for the request, not for reading the body: a connection cut while
// `.json()` or `.text()` reads it rejects with fetch's bare `TypeError('terminated')`. This is the
// one place that turns such a read failure into our NetworkError (an abort the caller asked for
// stays what it is).

const READS = ['json', 'text', 'arrayBuffer', 'blob', 'bytes', 'formData'] as const;

/** `p` with its body readers rejecting with NetworkError where the transport failed mid-body. */
export function readsAsNetworkErrors(
  p: ResponsePromise,
  method: string,
  url: () => string,
  signal: AbortSignal | null | undefined,
): ResponsePromise {
  for (const read of READS) {
    const original = p[read] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof original !== 'function') continue;
    (p as unknown as Record<string, unknown>)[read] = (...args: unknown[]) =>
      original.apply(p, args).catch((error: unknown) => {
        const foreign = !isRcError(error) && !signal?.aborted;
        if (foreign && (error instanceof TypeError || (error as Error)?.name === 'AbortError'))
          throw toNetworkError(error, method.toUpperCase(), url());
        throw error;
      });
  }
  return p;
}
