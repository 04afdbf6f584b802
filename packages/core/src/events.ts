import type { RcError } from './errors/rc-error.js';
import { scrub } from './redact.js';
import type { TokenSet } from './types.js';

/** Details of a rate-limited reply (HTTP 429). */
export interface RateLimitInfo {
  /** RingCentral's rate-limit group (`X-Rate-Limit-Group`), e.g. `Light`, `Auth`. */
  group: string | undefined;
  /** How long requests of that group are paused, in ms. */
  retryAfterMs: number;
  /** The method of the request that got the 429. */
  method: string;
  /** The request URL, secret query values removed. */
  url: string;
}

/** The client's events and their listeners. */
export interface ClientEvents {
  /** After every new or refreshed token of any session, once it is in the store: save it here if you keep tokens elsewhere. */
  token: (token: TokenSet, sessionKey: string) => void;
  /** A session could not get a token: refresh refused, login failed, no grant, store or token endpoint unreachable. */
  authError: (error: RcError, sessionKey: string) => void;
  /** The server answered 429; requests of that group are paused. */
  rateLimited: (info: RateLimitInfo) => void;
}

/** The events `rc.on()` accepts: `'token'`, `'authError'`, `'rateLimited'`. */
export type ClientEventName = keyof ClientEvents;

/**
 * Reports a listener that threw (or whose promise rejected) on the console, its message and stack
 * scrubbed of `secrets` and of anything credential-shaped: a listener's message may well quote the
 * token it failed to save.
 */
function reportListenerError(event: string, error: unknown, secrets: readonly (string | undefined)[]): void {
  const what = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  globalThis.console?.error?.(
    `@rc/core: a '${event}' listener threw; the other listeners and the work that emitted the event went on. ${scrub(what, secrets)}`,
  );
}

/**
 * Calls one listener of `event` (a client event's, or `rateLimit()`'s `onRateLimited`). One that
 * throws, or an async one that rejects (saving the token to a database, say), must not break the
 * request that triggered the event, nor the other listeners, nor the process (rethrown, or left
 * unhandled, it would end a Node process): it is reported on the console, scrubbed of `secrets`.
 */
export function callListener<A extends unknown[]>(
  event: string,
  listener: (...args: A) => unknown,
  args: A,
  secrets: readonly (string | undefined)[] = [],
): void {
  const report = (error: unknown) => reportListenerError(event, error, secrets);
  try {
    const result = listener(...args);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function')
      (result as PromiseLike<unknown>).then(undefined, report);
  } catch (error) {
    report(error);
  }
}

/** The secrets an event's arguments carry: the token of a 'token' event. */
const secretsOf = (event: ClientEventName, args: readonly unknown[]): (string | undefined)[] => {
  if (event !== 'token') return [];
  const token = args[0] as Partial<TokenSet> | undefined;
  return [token?.accessToken, token?.refreshToken];
};

/**
 * A tiny typed emitter: core has no `node:events` (it runs in browsers and edge runtimes).
 * `@rc/subscriptions` has its own on purpose (its emitter.ts): there `emit` awaits each listener in
 * turn, so notifications are delivered in order with back-pressure, and a listener's failure goes
 * to its 'error' event; here `emit` is synchronous (a request never waits for a 'token' listener)
 * and failures go to the console, scrubbed. They share only the listener map.
 */
export class Emitter {
  readonly #listeners = new Map<ClientEventName, Set<(...args: never[]) => void>>();

  on<E extends ClientEventName>(event: E, listener: ClientEvents[E]): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (...args: never[]) => void);
    return () => void set.delete(listener as (...args: never[]) => void);
  }

  emit<E extends ClientEventName>(event: E, ...args: Parameters<ClientEvents[E]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    const secrets = secretsOf(event, args);
    for (const listener of [...set]) {
      callListener(event, listener as unknown as (...a: typeof args) => unknown, args, secrets);
    }
  }
}
