// `rateLimit()`: the rate limiter as a Plugin — ky hooks that wait before a request goes, a
// transport wrapper that reads the replies — and the brand by which the client finds it among the
// plugins. The limiter's state is limiter.ts, its waits admission.ts, its reading of replies replies.ts.

import { isHTTPError } from 'ky';
import type { Plugin } from '../types.js';
import { admit } from './admission.js';
import { Limiter, type RateLimiter } from './limiter.js';
import { type RateLimitOptions, resolveRateLimitOptions } from './options.js';
import { readReply } from './replies.js';
import { routeOf } from './routes.js';

const LIMITER = Symbol('rateLimit');

/** The rate limiter behind a plugin made by `rateLimit()`, or undefined for any other plugin. */
export const limiterOf = (plugin: Plugin | undefined): RateLimiter | undefined =>
  (plugin as { [LIMITER]?: RateLimiter } | undefined)?.[LIMITER];

/**
 * Honours RingCentral's rate limits (https://developers.ringcentral.com/guide/basics/rate-limits).
 *
 * - Never into a known penalty. Every request sent during a penalty restarts it, so a 429 pauses
 *   the whole group (known for every documented route from RingCentral's API description before its
 *   first call, and learnt per route from `X-Rate-Limit-Group`, which wins; a route being the method and
 *   the path with its ids as one placeholder, at most 1000 routes kept; a 429 without one pauses the
 *   route's learnt group, or that route alone), and a request that cannot wait it out within
 *   `maxWaitMs` fails at once with `RateLimitError`, unsent.
 * - Paced by the budget the server reports (`X-Rate-Limit-Remaining`, `-Limit`, `-Window`): a burst
 *   larger than what remains waits instead of drawing 429s: each reply frees one request a window
 *   after it arrived, so a window's end counts from its first reply, not its last. After a penalty
 *   one request goes first; its reply tells the fresh budget.
 * - Every wait happens in ky's `beforeRequest`/`beforeRetry` hooks, before ky starts its
 *   per-attempt `timeout`, and honours the request's `AbortSignal`. The transport wrapper never
 *   waits: it counts what is on the wire and reads the replies. `Retry-After` (seconds or an HTTP
 *   date) and `X-Rate-Limit-Window` are believed up to 1 hour.
 * - Token requests go through it too (the Auth group, about 5 a minute); the client retries a token
 *   request that met a 429 once, after the penalty.
 * - With a store that shares penalties (`TokenStore.penalties`, e.g. `redisStore()`), a 429 met by
 *   one process holds every process on the store.
 * - With a store that shares the budget (`TokenStore.budget`, e.g. `redisStore()`), a request of a
 *   named group goes with a slice of the group's window taken from the store, several requests
 *   per call: processes of one app pace by one budget, not each by what it last heard.
 *
 * Built into every client (`createClient({ rateLimit: {...} })`), or placed explicitly; either way
 * it drives the client's `'rateLimited'` event, and `onRateLimited` is called as well.
 *
 * @example
 * createClient({ ..., rateLimit: { maxWaitMs: 120_000 } });          // the built-in one, tuned
 * createClient({ ..., plugins: [rateLimit({ maxWaitMs: 5_000 })] });  // or placed explicitly
 */
export function rateLimit(options: RateLimitOptions = {}): Plugin {
  const l = new Limiter(resolveRateLimitOptions(options));
  return {
    name: 'rateLimit',
    [LIMITER]: l,
    hooks: {
      // ky runs these before it starts the attempt's timeout: waiting here never times a request out.
      beforeRequest: [({ request }) => admit(l, request)],
      beforeRetry: [
        ({ request, error }) => admit(l, request, isHTTPError(error) ? error.response.status : 0),
      ],
      // A 429 whose penalty outlasts maxWaitMs (ky did not retry it): the caller learns when to come back.
      beforeError: [
        ({ error, request }) => {
          if (!isHTTPError(error) || error.response.status !== 429) return error;
          const g = l.routes.get(routeOf(request.method, request.url));
          const left = g ? g.pausedUntil - l.now() : 0;
          return g && left > l.maxWaitMs ? l.refuse(request, g, left, 429) : error;
        },
      ],
    },
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : undefined;
      const method = request?.method ?? init?.method?.toUpperCase() ?? 'GET';
      // The URL only for an event (a 429); the route a hook granted is the ticket's.
      const url = () => request?.url ?? String(input);
      const ticket = request ? l.tickets.get(request) : undefined;
      const route = ticket?.route ?? routeOf(method, url());
      const sentIn = ticket?.group ?? l.routes.get(route);
      sentIn?.sent(ticket);
      const sentAt = l.now();
      let response: Response;
      try {
        response = await next(input, init);
      } catch (error) {
        sentIn?.settled();
        throw error;
      }
      readReply(l, method, url, route, response, sentIn, sentAt);
      return response;
    },
  } as Plugin;
}
