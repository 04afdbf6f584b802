/**
 * `value`, or a promise that rejects with the signal's reason as soon as `signal` aborts, whichever
 * comes first. The work behind `value` goes on (other callers may share it, as they share one
 * refresh); only this caller stops waiting. A value that is not a promise is returned as is, so a
 * caller on the fast path pays for no promise and no listener; the listener is removed when the
 * promise settles, so a long-lived signal collects none.
 */
export function abortable<T>(value: T | Promise<T>, signal: AbortSignal | null | undefined): T | Promise<T> {
  if (!signal || !(value instanceof Promise)) return value;
  const promise = value;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
