import type { RcError } from './errors/rc-error.js';
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

/** A tiny typed emitter: core has no `node:events` (it runs in browsers and edge runtimes). */
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
    for (const listener of [...set]) {
      // A throwing listener must not break the request that triggered the event.
      try {
        (listener as unknown as (...a: Parameters<ClientEvents[E]>) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
