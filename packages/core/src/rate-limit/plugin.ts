import { isHTTPError } from 'ky';
import { ConfigError } from '../errors/config-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { callListener, type RateLimitInfo } from '../events.js';
import { type Observers, observeWait } from '../observe.js';
import { redactUrl } from '../redact.js';
import type { Plugin, SharedBudget, SharedPenalties } from '../types.js';
import { checkOptions } from '../util/check-options.js';
import type { TrieNode } from './description.js';
import { Group, type Ticket } from './group.js';
import { DEFAULT_RETRY_AFTER_MS, parseRetryAfter, readBudget } from './headers.js';
import { RouteTable, routeOf } from './routes.js';
import { SharedSlices } from './shared-budget.js';

/**
 * How long one attempt of a request waits at most for its group, by default: one and a half of
 * RingCentral's 60 s windows. A request paced behind an exhausted budget waits for the window the
 * replies report, which ends one window after the reply that said so arrived: later than one window
 * after the request began waiting, by that reply's latency. With a default of one window, such a
 * request failed unsent ("for 60 s more") at RingCentral's real timing; half a window of margin
 * covers a latency of up to 30 s. A 429's penalty (60 s) fits too.
 */
export const DEFAULT_MAX_WAIT_MS = 90_000;

/**
 * Options of {@link rateLimit}, and of `createClient({ rateLimit })`. RingCentral answers 429 with `Retry-After` when a group's limit is hit, and every request during the penalty restarts it.
 * @see https://developers.ringcentral.com/guide/basics/rate-limits
 */
export interface RateLimitOptions {
  /**
   * How long one attempt of a request may wait for its group: for a penalty to end, or for the
   * budget the server reported to renew. A request that would wait longer fails at once with
   * `RateLimitError` and is not sent (sending it would restart the penalty). ky's
   * `retry.maxRetryAfter` is bounded by it too: a 429 asking for a longer wait becomes that error.
   * The default is above one window (RingCentral's are 60 s): the window a reply reports ends one
   * window after that reply, so a request waiting behind an exhausted budget waits a little longer
   * than one window from when it began waiting. Below one window, such requests fail unsent.
   * @default 90_000
   */
  maxWaitMs?: number | undefined;
  /**
   * The penalty assumed when a 429 has no readable `Retry-After` (RingCentral: "wait at least 30 s").
   * @default 30_000
   * @see https://developers.ringcentral.com/guide/basics/rate-limits
   */
  defaultRetryAfterMs?: number | undefined;
  /** Called on every 429, besides the client's `'rateLimited'` event. */
  onRateLimited?: ((info: RateLimitInfo) => void) | undefined;
  /** The clock, in epoch ms. @default the client's `now` (Date.now) */
  now?: (() => number) | undefined;
}

/** What the client wires into its rate limiter (found by a brand, not by the plugin's name). */
export interface RateLimiterWiring {
  /** Emits the client's `'rateLimited'` event. */
  emit(info: RateLimitInfo): void;
  /** The store's shared penalties, when it has them. */
  penalties: SharedPenalties | undefined;
  /** The store's shared budget, when it has one. */
  budget?: SharedBudget | undefined;
  /** The plugins' observers, told of every wait, when any plugin observes. */
  observe?: Observers | undefined;
}

/** The face of a rate limiter the client sees. */
export interface RateLimiter {
  readonly maxWaitMs: number;
  attach(wiring: RateLimiterWiring): void;
  /** How many routes it has learnt a group for (bounded; for diagnostics and tests). */
  readonly learntRoutes: number;
}

const LIMITER = Symbol('rateLimit');

/** The rate limiter behind a plugin made by `rateLimit()`, or undefined for any other plugin. */
export const limiterOf = (plugin: Plugin | undefined): RateLimiter | undefined =>
  (plugin as { [LIMITER]?: RateLimiter } | undefined)?.[LIMITER];

/**
 * The description's route → group reader and trie, loaded and parsed at the first request of any
 * client (a dynamic import: in a browser the table is a chunk of its own, fetched with the first
 * request instead of with the app). While it loads (or if its chunk fails to load) routes have the
 * groups learnt from replies only.
 */
let described:
  | { trie: TrieNode; group: (trie: TrieNode, route: string) => string | null | undefined }
  | undefined;
let loading: Promise<void> | undefined;
const loadDescription = (): Promise<void> =>
  (loading ??= Promise.all([import('./description.js'), import('./table.js')]).then(
    ([reader, table]) => {
      described = { trie: reader.parseTrie(table.RATE_LIMIT_TRIE), group: reader.describedGroup };
    },
    () => {
      loading = undefined; // the next request tries again
    },
  ));

/**
 * Resolves after `ms`, or as soon as `wake` resolves; rejects with the signal's reason on abort.
 * Cleans up its timer and listener whichever comes first.
 */
const pause = (ms: number, signal: AbortSignal, wake: Promise<void>) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const timer = setTimeout(() => finish(resolve), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    void wake.then(() => finish(resolve));
  });

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
  checkOptions(options, ['maxWaitMs', 'defaultRetryAfterMs', 'onRateLimited', 'now'], 'rateLimit()');
  const {
    maxWaitMs = DEFAULT_MAX_WAIT_MS,
    defaultRetryAfterMs = DEFAULT_RETRY_AFTER_MS,
    onRateLimited,
    now = Date.now,
  } = options;
  for (const [name, v] of Object.entries({ maxWaitMs, defaultRetryAfterMs })) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      throw new ConfigError(`rateLimit(): \`${name}\` must be a number of ms ≥ 0`, name);
  }
  if (onRateLimited !== undefined && typeof onRateLimited !== 'function')
    throw new ConfigError('rateLimit(): `onRateLimited` must be a function', 'onRateLimited');
  if (typeof now !== 'function') throw new ConfigError('rateLimit(): `now` must be a function', 'now');

  const listeners = new Set<(info: RateLimitInfo) => void>();
  if (onRateLimited) listeners.add(onRateLimited);
  const boards = new Set<SharedPenalties>();
  let observers: Observers | undefined;
  // The store's budget, when it shares one: then it, not the replies, paces named groups.
  let shared: SharedSlices | undefined;
  const groups = new Map<string, Group>();
  const named = (name: string) => {
    let g = groups.get(name);
    if (!g) {
      g = new Group(name);
      groups.set(name, g);
    }
    return g;
  };
  // Route (ids replaced by a placeholder) → its group; bounded.
  // Route (ids replaced by a placeholder) → its group: learnt from replies (bounded), else the one
  // RingCentral's API description gives it (every documented route, before its first call).
  const routes = new RouteTable((route) => {
    if (!described) return null; // not loaded yet: asked again once it is
    const name = described.group(described.trie, route);
    return name ? named(name) : undefined;
  });
  // The grant a hook made for a request, found again by the transport (ky sends the same Request).
  const tickets = new WeakMap<Request, Ticket>();

  const refuse = (request: Request, g: Group, retryAfterMs: number, sentStatus: number | undefined) =>
    new RateLimitError({
      group: g.name,
      retryAfterMs: Math.ceil(retryAfterMs),
      method: request.method,
      url: redactUrl(request.url),
      maxWaitMs,
      sentStatus,
    });

  /**
   * Lets the request go now (sync), or waits its turn; throws RateLimitError past maxWaitMs.
   * `sentStatus`: what an earlier attempt of it was answered (a retry), for the error's words.
   */
  const admit = (request: Request, sentStatus?: number): Promise<void> | undefined => {
    if (!described) return loadDescription().then(() => admit(request, sentStatus));
    const route = routeOf(request.method, request.url);
    const g = routes.get(route);
    if (!g) return undefined; // nothing known of the route: nothing to wait for
    const t = now();
    if (g.waiters.length === 0 && freeNow(g, t)) {
      tickets.set(request, g.grant(t, route));
      return undefined;
    }
    const wait = waitTurn(request, route, t + maxWaitMs, sentStatus);
    return observers ? observeWait(observers, request, t, now, () => routes.get(route)?.name, wait) : wait;
  };
  /** Whether a request of `g` may go now with nobody ahead of it (using a shared grant if so). */
  const freeNow = (g: Group, t: number): boolean => {
    if (!shared?.applies(g, t)) return g.blockedFor(t) === 0;
    return g.pausedUntil <= t && shared.turn(g, t, 0) === 0;
  };
  const waitTurn = async (
    request: Request,
    route: string,
    deadline: number,
    sentStatus: number | undefined,
  ): Promise<void> => {
    const me = {};
    let queued: Group | undefined; // the group whose queue holds `me`
    const leave = () => {
      if (!queued) return;
      queued.waiters.splice(queued.waiters.indexOf(me), 1);
      queued.notify(); // the next in line may go now
      queued = undefined;
    };
    try {
      for (;;) {
        const g = routes.get(route);
        if (!g) return; // forgotten meanwhile (the table is bounded): nothing known to wait for
        if (queued !== g) {
          leave();
          g.waiters.push(me);
          queued = g;
        }
        const t = now();
        let w: number;
        if (shared?.applies(g, t)) {
          // The store's budget: the waiters ahead of this one take the slice's grants first.
          w = g.pausedUntil > t ? g.pausedUntil - t : shared.turn(g, t, g.waiters.indexOf(me));
          if (w < 0) {
            await shared.ask(g, g.waiters.length);
            continue;
          }
        } else w = g.turnIn(t, me);
        if (w === 0) {
          tickets.set(request, g.grant(t, route));
          return;
        }
        const left = deadline - t;
        // A known wait that is too long fails now; an open one ("until a reply") at the deadline.
        if (left <= 0 || (w > left && Number.isFinite(w)))
          throw refuse(request, g, g.estimate(t), sentStatus);
        await pause(Math.min(w, left), request.signal, g.changed());
      }
    } finally {
      leave();
    }
  };

  const emit = (info: RateLimitInfo) => {
    for (const listener of listeners) {
      callListener(listener === onRateLimited ? 'onRateLimited' : 'rateLimited', listener, [info]);
    }
  };

  /** Reads a reply into the state of the route's group. */
  const observe = (
    method: string,
    url: () => string,
    route: string,
    response: Response,
    sentIn: Group | undefined,
  ) => {
    const t = now();
    const budget = readBudget(response.headers);
    let g = routes.get(route);
    if (budget.group !== undefined && g?.name !== budget.group) {
      g = named(budget.group);
      routes.set(route, g);
    }
    if (sentIn) sentIn.inflight--;
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), t) ?? defaultRetryAfterMs;
      if (!g) {
        // Never named: the penalty holds this route alone, not every route.
        g = new Group(undefined);
        routes.set(route, g);
      }
      if (budget.limit !== undefined) g.limit = budget.limit;
      if (budget.windowMs !== undefined) g.windowMs = budget.windowMs;
      g.pause(t + retryAfterMs);
      const name = g.name;
      if (name !== undefined) {
        for (const board of boards) board.publish(name, t + retryAfterMs).catch(() => undefined);
      }
      emit({ group: name, retryAfterMs, method, url: redactUrl(url()) });
    } else if (g) {
      g.replied(t, budget);
    }
    if (sentIn && sentIn !== g) sentIn.notify();
  };

  const limiter: RateLimiter = {
    maxWaitMs,
    get learntRoutes() {
      return routes.learnt;
    },
    attach(wiring) {
      listeners.add(wiring.emit);
      observers ??= wiring.observe;
      if (wiring.budget) shared ??= new SharedSlices(wiring.budget, now);
      const board = wiring.penalties;
      if (!board || boards.has(board)) return;
      boards.add(board);
      const apply = (group: string, until: number) => {
        if (typeof group === 'string' && Number.isFinite(until) && until > now()) named(group).pause(until);
      };
      try {
        board.subscribe(apply);
      } catch {
        // Best effort: a store that cannot share penalties still serves tokens.
      }
      board.load().then(
        (all) => {
          for (const [group, until] of Object.entries(all ?? {})) apply(group, until);
        },
        () => undefined,
      );
    },
  };

  return {
    name: 'rateLimit',
    [LIMITER]: limiter,
    hooks: {
      // ky runs these before it starts the attempt's timeout: waiting here never times a request out.
      beforeRequest: [({ request }) => admit(request)],
      beforeRetry: [({ request, error }) => admit(request, isHTTPError(error) ? error.response.status : 0)],
      // A 429 whose penalty outlasts maxWaitMs (ky did not retry it): the caller learns when to come back.
      beforeError: [
        ({ error, request }) => {
          if (!isHTTPError(error) || error.response.status !== 429) return error;
          const g = routes.get(routeOf(request.method, request.url));
          const left = g ? g.pausedUntil - now() : 0;
          return g && left > maxWaitMs ? refuse(request, g, left, 429) : error;
        },
      ],
    },
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : undefined;
      const method = request?.method ?? init?.method?.toUpperCase() ?? 'GET';
      // The URL only for an event (a 429); the route a hook granted is the ticket's.
      const url = () => request?.url ?? String(input);
      const ticket = request ? tickets.get(request) : undefined;
      const route = ticket?.route ?? routeOf(method, url());
      const sentIn = ticket?.group ?? routes.get(route);
      sentIn?.sent(ticket);
      let response: Response;
      try {
        response = await next(input, init);
      } catch (error) {
        sentIn?.settled();
        throw error;
      }
      observe(method, url, route, response, sentIn);
      return response;
    },
  } as Plugin;
}
