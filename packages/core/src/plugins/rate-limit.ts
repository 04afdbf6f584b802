import { ConfigError } from '../errors/config-error.js';
import type { RateLimitInfo } from '../events.js';
import { redactUrl } from '../redact.js';
import type { Plugin } from '../types.js';

export interface RateLimitOptions {
  /**
   * How long one request waits at most for its group to be free before it is sent anyway or,
   * after a 429, surfaced as an `ApiError` (status 429, `retryAfter`).
   * @default 60_000
   */
  maxWaitMs?: number;
  /**
   * The penalty assumed when a 429 has no `Retry-After` (RingCentral: "wait at least 30 s").
   * @default 30_000
   */
  defaultRetryAfterMs?: number;
  /**
   * How many times one request is re-sent after a 429.
   * @default 2
   */
  maxRetries?: number;
  /** Called on every 429 (the client also emits `'rateLimited'`). */
  onRateLimited?: (info: RateLimitInfo) => void;
  /** The clock (for tests). @default Date.now */
  now?: () => number;
}

/** What we know of one rate-limit group. */
interface Group {
  /** No request of the group goes out before this (epoch ms): a penalty, or a spent budget. */
  pausedUntil: number;
  /** Requests left in the window per the last reply, or undefined when unknown. */
  remaining: number | undefined;
  /** Requests of the group on the wire now. */
  inflight: number;
  /** Resolves (and is replaced) whenever the group's state changes, to wake waiters. */
  changed: Promise<void>;
  wake: () => void;
}

const UNKNOWN = '*'; // the group of a 429 that did not name its group: it pauses every route

function newGroup(): Group {
  const g = { pausedUntil: 0, remaining: undefined, inflight: 0 } as Omit<Group, 'changed' | 'wake'> as Group;
  renew(g);
  return g;
}
function renew(g: Group): void {
  g.changed = new Promise<void>((resolve) => {
    g.wake = resolve;
  });
}
function notify(g: Group): void {
  const wake = g.wake;
  renew(g);
  wake();
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Honours RingCentral's rate limits (https://developers.ringcentral.com/guide/basics/rate-limits).
 *
 * - Every request sent during a penalty restarts it, so a 429 pauses the whole group, not just the
 *   request that got it: requests of that group (learnt from `X-Rate-Limit-Group` of earlier
 *   replies) wait until the penalty ends. A 429 without a group pauses every route.
 * - After a penalty one request goes first; its reply tells the fresh budget, and only that many
 *   follow. Waking every waiter at once would spend the budget and earn the next penalty.
 * - No more requests of a group are put on the wire than its last reply said remain
 *   (`X-Rate-Limit-Remaining`), and a spent budget holds the group for one window
 *   (`X-Rate-Limit-Window`): a steady client does not earn penalties at all.
 * - The request that got a 429 is re-sent after the wait: safe for POST too, since a 429 means the
 *   server did not act on it.
 *
 * @example
 * createClient({ ..., rateLimit: { maxWaitMs: 120_000 } });          // the built-in one, tuned
 * createClient({ ..., plugins: [rateLimit({ maxRetries: 5 })] });     // or placed explicitly
 */
export function rateLimit(options: RateLimitOptions = {}): Plugin {
  const {
    maxWaitMs = 60_000,
    defaultRetryAfterMs = 30_000,
    maxRetries = 2,
    onRateLimited,
    now = Date.now,
  } = options;
  for (const [name, v] of Object.entries({ maxWaitMs, defaultRetryAfterMs, maxRetries })) {
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

  /** How long this route must still wait, and for what, or 0 when it may go. */
  const blockedFor = (name: string | undefined): { ms: number; on?: Group } => {
    const t = now();
    const any = groups.get(UNKNOWN);
    if (any && any.pausedUntil > t) return { ms: any.pausedUntil - t, on: any };
    if (name === undefined) return { ms: 0 };
    const g = group(name);
    if (g.pausedUntil > t) return { ms: g.pausedUntil - t, on: g };
    // Budget spent by requests still on the wire: wait for one of their replies.
    if (g.remaining !== undefined && g.inflight > 0 && g.remaining - g.inflight <= 0)
      return { ms: maxWaitMs, on: g };
    return { ms: 0 };
  };

  /**
   * Waits until the route may go, then counts it in flight in the same synchronous step: waiters
   * woken together must not all see the same free budget.
   */
  const waitTurn = async (route: string, signal: AbortSignal): Promise<Group | undefined> => {
    const start = now();
    for (;;) {
      const name = routeGroup.get(route);
      const { ms, on } = blockedFor(name);
      const left = maxWaitMs - (now() - start);
      if (ms <= 0 || left <= 0 || !on) {
        const g = name === undefined ? undefined : group(name);
        if (g) g.inflight++;
        return g;
      }
      await Promise.race([sleep(Math.min(ms, left), signal), on.changed]);
    }
  };

  return {
    name: 'rateLimit',
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      const route = `${request.method} ${url.pathname}`;
      let current = request;
      for (let attempt = 0; ; attempt++) {
        const sentIn = await waitTurn(route, request.signal);
        // A body is consumed by the send: keep a copy for a possible re-send.
        const spare = current.body && attempt < maxRetries ? current.clone() : current;
        let response: Response;
        try {
          response = await next(current, init);
        } catch (error) {
          if (sentIn) {
            sentIn.inflight--;
            notify(sentIn);
          }
          throw error;
        }
        if (sentIn) sentIn.inflight--; // the waiters are woken below, once the reply's budget is read
        current = spare;
        const name = response.headers.get('x-rate-limit-group') ?? undefined;
        const g = name === undefined ? undefined : group(name);
        if (name !== undefined && g) {
          routeGroup.set(route, name);
          const remaining = Number(response.headers.get('x-rate-limit-remaining') ?? Number.NaN);
          const window = Number(response.headers.get('x-rate-limit-window') ?? Number.NaN);
          if (response.status !== 429 && Number.isFinite(remaining)) {
            g.remaining = remaining;
            if (remaining <= 0 && window > 0) g.pausedUntil = Math.max(g.pausedUntil, now() + window * 1000);
          }
        }
        if (sentIn && sentIn !== g) notify(sentIn);
        if (response.status !== 429) {
          if (g) notify(g);
          return response;
        }
        const header = Number(response.headers.get('retry-after'));
        const retryAfterMs = Number.isFinite(header) && header > 0 ? header * 1000 : defaultRetryAfterMs;
        const paused = g ?? group(UNKNOWN);
        paused.pausedUntil = Math.max(paused.pausedUntil, now() + retryAfterMs);
        paused.remaining = 1; // after the penalty, one probe first: its reply tells the new budget
        notify(paused);
        onRateLimited?.({ group: name, retryAfterMs, method: request.method, url: redactUrl(request.url) });
        if (attempt >= maxRetries || retryAfterMs > maxWaitMs) return response;
        await response.body?.cancel().catch(() => undefined);
      }
    },
  };
}
