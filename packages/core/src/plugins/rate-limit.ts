import { ConfigError } from '../errors/config-error.js';
import type { RateLimitInfo } from '../events.js';
import { redactUrl } from '../redact.js';
import type { Plugin } from '../types.js';

/**
 * Options of {@link rateLimit}, and of `createClient({ rateLimit })`. RingCentral answers 429 with `Retry-After` when a group's limit is hit, and every request during the penalty restarts it.
 * @see https://developers.ringcentral.com/guide/basics/rate-limits
 */
export interface RateLimitOptions {
  /**
   * How long one request waits at most for its group to be free before it is sent anyway. The
   * built-in plugin also bounds ky's `retry.maxRetryAfter` with it: a 429 asking for a longer wait
   * surfaces as an `ApiError` (status 429, `retryAfter`) instead of being retried.
   * @default 60_000
   */
  maxWaitMs?: number;
  /**
   * The penalty assumed when a 429 has no `Retry-After` (RingCentral: "wait at least 30 s").
   * @default 30_000
   */
  defaultRetryAfterMs?: number;
  /** Called on every 429 (the client also emits `'rateLimited'`). */
  onRateLimited?: (info: RateLimitInfo) => void;
  /** The clock (for tests). @default Date.now */
  now?: () => number;
}

/** What we know of one rate-limit group. */
interface Group {
  /** No request of the group goes out before this (epoch ms): the penalty of a 429. */
  pausedUntil: number;
  /** After a penalty, until the group drains: sends are paced by the budget the replies report. */
  recovering: boolean;
  /** Requests left in the window per the last reply, or undefined when unknown. */
  remaining: number | undefined;
  /** Requests of the group on the wire now. */
  inflight: number;
  /** Requests of the group waiting for budget in the transport. */
  waiting: number;
  /** Resolves when the group's state next changes; made only when someone waits (hot path). */
  changed: Promise<void> | undefined;
  wake: (() => void) | undefined;
}

const UNKNOWN = '*'; // the group of a 429 that did not name its group: it pauses every route

function newGroup(): Group {
  return {
    pausedUntil: 0,
    recovering: false,
    remaining: undefined,
    inflight: 0,
    waiting: 0,
    changed: undefined,
    wake: undefined,
  };
}
/** A promise that resolves at the group's next change. */
function changeOf(g: Group): Promise<void> {
  g.changed ??= new Promise<void>((resolve) => {
    g.wake = resolve;
  });
  return g.changed;
}
/** Wakes whoever waits on the group; nothing to do (and nothing allocated) when no one does. */
function notify(g: Group): void {
  const wake = g.wake;
  if (!wake) return;
  g.changed = undefined;
  g.wake = undefined;
  wake();
}

/**
 * Resolves after `ms`, or as soon as `wake` resolves; rejects on abort. Cleans up its timer and
 * listener whichever comes first (a race with a bare sleep would leave both behind).
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

/** "GET /restapi/v1.0/..." — method and path, without query; string work only (hot path). */
const routeOf = (request: Request) => {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const q = url.indexOf('?', start);
  const h = url.indexOf('#', start);
  const end = q === -1 ? h : h === -1 ? q : Math.min(q, h);
  return `${request.method} ${start === -1 ? '/' : url.slice(start, end === -1 ? undefined : end)}`;
};

/**
 * Honours RingCentral's rate limits (https://developers.ringcentral.com/guide/basics/rate-limits).
 *
 * - Every request sent during a penalty restarts it, so a 429 pauses the whole group, not just the
 *   request that got it: requests of that group (learnt from `X-Rate-Limit-Group` of earlier
 *   replies) wait until the penalty ends. A 429 without a group pauses every route.
 * - The wait happens in a `beforeRequest` hook, before ky starts its per-attempt `timeout`: a
 *   60-second penalty does not turn into a TimeoutError. The request that got the 429 is retried by
 *   ky's own policy (idempotent methods, `Retry-After` honoured, counted against `retry.limit`);
 *   a POST that got a 429 surfaces as `ApiError` with `retryAfter`. (An `afterResponse` hook could
 *   force the POST retry, but ky clones every response for such a hook: ~17% on every request.)
 * - After a penalty one request goes first; its reply tells the fresh budget
 *   (`X-Rate-Limit-Remaining`), and no more than that are put on the wire until the group drains;
 *   a budget spent again holds the group for a window (`X-Rate-Limit-Window`). Waking every waiter
 *   at once would spend the budget and earn the next penalty.
 *
 * @example
 * createClient({ ..., rateLimit: { maxWaitMs: 120_000 } });          // the built-in one, tuned
 * createClient({ ..., plugins: [rateLimit({ maxWaitMs: 5_000 })] });  // or placed explicitly
 */
export function rateLimit(options: RateLimitOptions = {}): Plugin {
  const { maxWaitMs = 60_000, defaultRetryAfterMs = 30_000, onRateLimited, now = Date.now } = options;
  for (const [name, v] of Object.entries({ maxWaitMs, defaultRetryAfterMs })) {
    if (typeof v !== 'number' || !(v >= 0))
      throw new ConfigError(`rateLimit(): \`${name}\` must be a number ≥ 0`, name);
  }
  const groups = new Map<string, Group>();
  const routeGroup = new Map<string, string>(); // "GET /restapi/v1.0/..." → group name
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) {
      g = newGroup();
      groups.set(name, g);
    }
    return g;
  };
  // The end of the latest penalty of any group: when it has passed, no route needs a look.
  let anyPausedUntil = 0;
  const pauseGroup = (g: Group, until: number) => {
    g.pausedUntil = Math.max(g.pausedUntil, until);
    anyPausedUntil = Math.max(anyPausedUntil, until);
  };

  /** The penalty that holds this route, if any. */
  const penalty = (route: string): { ms: number; on: Group } | undefined => {
    const t = now();
    if (t >= anyPausedUntil) return undefined;
    for (const name of [UNKNOWN, routeGroup.get(route)]) {
      const g = name === undefined ? undefined : groups.get(name);
      if (g && g.pausedUntil > t) return { ms: g.pausedUntil - t, on: g };
    }
    return undefined;
  };

  /** Waits out the route's penalty, at most maxWaitMs (then the request goes anyway); sync when there is none. */
  const waitPenalty = (route: string, signal: AbortSignal): Promise<void> | undefined => {
    const first = penalty(route);
    if (!first) return undefined;
    return (async () => {
      const deadline = now() + maxWaitMs;
      for (let p: typeof first | undefined = first; p && now() < deadline; p = penalty(route)) {
        await pause(Math.min(p.ms, deadline - now()), signal, changeOf(p.on));
      }
    })();
  };

  /**
   * In the transport: waits while a recovering group's budget is spent by requests on the wire,
   * then counts this one in flight in the same synchronous step (waiters woken together must not
   * all see the same free budget).
   */
  const takeTurn = async (route: string, signal: AbortSignal): Promise<Group | undefined> => {
    const deadline = now() + maxWaitMs;
    for (;;) {
      await waitPenalty(route, signal);
      const g = tryTurn(route, deadline);
      if (g !== false) return g;
      const waitOn = group(routeGroup.get(route)!);
      waitOn.waiting++;
      try {
        await pause(deadline - now(), signal, changeOf(waitOn));
      } finally {
        waitOn.waiting--;
      }
    }
  };
  /** The synchronous step of takeTurn: the route's group counted in flight, undefined, or false (wait). */
  const tryTurn = (route: string, deadline: number): Group | undefined | false => {
    const name = routeGroup.get(route);
    if (name === undefined) return undefined;
    const g = group(name);
    const spent = g.recovering && g.inflight > 0 && (g.remaining ?? 1) - g.inflight <= 0;
    if (spent && now() < deadline) return false;
    g.inflight++;
    return g;
  };

  /** Reads a reply's rate-limit headers into the group's state; returns the retry delay of a 429. */
  const observe = (request: Request, route: string, response: Response, sentIn: Group | undefined) => {
    const name = response.headers.get('x-rate-limit-group') ?? undefined;
    const g = name === undefined ? undefined : group(name);
    if (name !== undefined) routeGroup.set(route, name);
    // The budget matters only while recovering from a penalty: the headers are read only then.
    if (g?.recovering && response.status !== 429) {
      const remaining = Number(response.headers.get('x-rate-limit-remaining') ?? Number.NaN);
      const window = Number(response.headers.get('x-rate-limit-window') ?? Number.NaN);
      if (Number.isFinite(remaining)) g.remaining = remaining;
      // The budget is spent again: wait for the window rather than earn a penalty.
      if (remaining <= 0 && window > 0) pauseGroup(g, now() + window * 1000);
      // The group has drained: back to normal (no pacing, no waiting on budget).
      if (g.inflight === 0 && g.waiting === 0) g.recovering = false;
    }
    if (response.status === 429) {
      const header = Number(response.headers.get('retry-after'));
      const retryAfterMs = Number.isFinite(header) && header > 0 ? header * 1000 : defaultRetryAfterMs;
      const paused = g ?? group(UNKNOWN);
      pauseGroup(paused, now() + retryAfterMs);
      paused.recovering = true;
      paused.remaining = 1; // after the penalty, one probe first: its reply tells the new budget
      notify(paused);
      onRateLimited?.({ group: name, retryAfterMs, method: request.method, url: redactUrl(request.url) });
    }
    if (g) notify(g);
    if (sentIn && sentIn !== g) notify(sentIn);
  };

  return {
    name: 'rateLimit',
    hooks: {
      // Nothing to compute per request unless some group is paused.
      beforeRequest: [
        ({ request }) => (now() < anyPausedUntil ? waitPenalty(routeOf(request), request.signal) : undefined),
      ],
    },
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const route = routeOf(request);
      // Fast path: no penalty and no pacing means no await before the send.
      const fast = penalty(route) ? false : tryTurn(route, Number.POSITIVE_INFINITY);
      const sentIn = fast === false ? await takeTurn(route, request.signal) : fast;
      let response: Response;
      try {
        response = await next(input, init);
      } finally {
        if (sentIn) sentIn.inflight--;
      }
      observe(request, route, response, sentIn);
      return response;
    },
  };
}
