// undiciFetch(): a `typeof fetch` over an undici connection pool, for createClient({ fetch }) or
// plain ky. It takes the Request ky built as it is and answers with a web Response, with the global
// fetch's semantics for what a REST client uses; it skips what a server-side API client never needs
// (CORS, the HTTP cache, cookies, referrer, mixed-content and CSP checks), which is where the global
// fetch spends its time.
import type { Dispatcher } from 'undici';
import { fetchFailed } from './errors.js';
import { exchange } from './exchange.js';
import { resolveDispatcher, type UndiciFetchOptions } from './options.js';
import { isRedirect, MAX_REDIRECTS, redirected } from './redirect.js';
import { type Outgoing, outgoing } from './request.js';
import { UndiciResponse } from './response.js';

/** A fetch function with the pool it sends on. */
export interface UndiciFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The undici dispatcher requests go through (the one given, or the pool undiciFetch made). */
  readonly dispatcher: Dispatcher;
  /**
   * Closes the pool undiciFetch made: requests in flight finish, new ones fail, and idle
   * connections no longer keep the process alive. Whoever called `undiciFetch()` owns the pool and
   * calls this (a client given this fetch never closes it). A dispatcher passed in the options is
   * left open: its creator closes it.
   */
  close(): Promise<void>;
}

/**
 * A `fetch` over undici's connection pool. Request and response bodies stream, `AbortSignal` (and
 * so ky's `timeout`) aborts the exchange, redirects follow the request's `redirect` mode
 * (`'follow'`, `'manual'`: the 3xx response itself, `'error'`), and the Response has `url`,
 * `redirected`, `.json()`, `.clone()` and `.body` as the global fetch's has. A network failure
 * rejects with `TypeError('fetch failed')` whose `cause` is undici's error.
 *
 * No `Accept-Encoding` is added: a response is compressed only when the request asks for it, and is
 * then handed over as received (still encoded).
 *
 * @example
 * import { createClient } from '@rc/core';
 * import { undiciFetch } from '@rc/transport-undici';
 *
 * const fetch = undiciFetch({ connections: 64 });
 * const rc = createClient({ server, clientId, clientSecret, fetch });
 * // ... on shutdown:
 * await fetch.close();
 */
export function undiciFetch(options: UndiciFetchOptions = {}): UndiciFetch {
  const { dispatcher, owned } = resolveDispatcher(options);
  const send = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const through = (init as { dispatcher?: Dispatcher } | undefined)?.dispatcher ?? dispatcher;
    let out: Outgoing | Promise<Outgoing>;
    try {
      out = outgoing(input, init);
    } catch (error) {
      return Promise.reject(asFetchError(error));
    }
    return out instanceof Promise ? out.then((o) => follow(through, o), rejectAsFetch) : follow(through, out);
  };
  return Object.assign(send, {
    dispatcher,
    close: () => (owned ? dispatcher.close() : Promise.resolve()),
  });
}

// A Request the constructor refuses (a bad URL, a GET with a body) is a TypeError already; a body
// stream that fails while read is one like any network failure.
const asFetchError = (error: unknown): unknown =>
  error instanceof TypeError || (error instanceof DOMException && error.name === 'AbortError')
    ? error
    : fetchFailed(error);

const rejectAsFetch = (error: unknown): never => {
  throw asFetchError(error);
};

async function follow(dispatcher: Dispatcher, first: Outgoing): Promise<Response> {
  let out = first;
  const drain = first.redirect === 'follow' ? isRedirect : () => false;
  for (let hops = 0; ; hops++) {
    const head = await exchange(dispatcher, out, drain);
    if (first.redirect === 'error' && isRedirect(head.status, head.headers)) {
      await head.body?.cancel();
      throw fetchFailed(new Error('unexpected redirect'));
    }
    if (head.body === null && drain(head.status, head.headers)) {
      if (hops >= MAX_REDIRECTS) throw fetchFailed(new Error('redirect count exceeded'));
      out = redirected(out, head.status, String(head.headers.location));
      continue;
    }
    return new UndiciResponse(head.body, head.status, head.statusText, head.headers, out.href, hops > 0);
  }
}
