// Before a request goes: whether it may go now, or waits its turn in its group (a penalty, the
// budget the replies report, or the store's shared budget), or fails unsent because the wait would
// outlast `maxWaitMs`. Runs in ky's `beforeRequest`/`beforeRetry` hooks, before ky starts the
// attempt's timeout, and honours the request's AbortSignal.

import { observeWait } from '../observe.js';
import { abortable } from '../util/abortable.js';
import type { Group } from './group.js';
import type { Limiter } from './limiter.js';
import { routeOf } from './routes.js';

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
 * Lets the request go now (sync: undefined), or waits its turn; rejects with RateLimitError past
 * `maxWaitMs`. `sentStatus`: what an earlier attempt of it was answered (a retry), for the error's words.
 */
export function admit(l: Limiter, request: Request, sentStatus?: number): Promise<void> | undefined {
  const pending = l.pending();
  return pending ? admitAfter(l, request, sentStatus, pending) : admitLoaded(l, request, sentStatus);
}

/**
 * Admits a request once the parts it waits for have loaded (or failed to: then it goes without
 * them). After the wait, one more only for a budget load started meanwhile (a client wired one, or
 * another request tried a failed one again): bounded, no attempt of its own, never a loop. The
 * request's signal ends either wait (a chunk whose fetch hangs must not hold it for ever).
 * Requests that came while the same loads ran go in the order they came; one that comes in the few
 * microtasks between a load settling and their turn may go first.
 */
async function admitAfter(
  l: Limiter,
  request: Request,
  sentStatus: number | undefined,
  pending: Promise<unknown>,
): Promise<void> {
  await abortable(pending, request.signal);
  const sharing = l.sharing;
  if (sharing) await abortable(sharing, request.signal);
  return admitLoaded(l, request, sentStatus);
}

function admitLoaded(
  l: Limiter,
  request: Request,
  sentStatus: number | undefined,
): Promise<void> | undefined {
  const route = routeOf(request.method, request.url);
  const g = l.routes.get(route);
  if (!g) return undefined; // nothing known of the route: nothing to wait for
  const t = l.now();
  if (g.waiters.length === 0 && freeNow(l, g, t)) {
    l.tickets.set(request, g.grant(t, route));
    return undefined;
  }
  const wait = waitTurn(l, request, route, t + l.maxWaitMs, sentStatus);
  return l.observers
    ? observeWait(l.observers, request, t, l.now, () => l.routes.get(route)?.name, wait)
    : wait;
}

/**
 * Whether a request of `g` may go now with nobody ahead of it (using a shared grant if so). With
 * a shared budget, a request that finds room in its process's slice goes here, synchronously:
 * it costs the store nothing.
 */
function freeNow(l: Limiter, g: Group, t: number): boolean {
  if (!l.shared?.applies(g, t)) return g.blockedFor(t) === 0;
  return g.pausedUntil <= t && l.shared.turn(g, t, 0) === 0;
}

async function waitTurn(
  l: Limiter,
  request: Request,
  route: string,
  deadline: number,
  sentStatus: number | undefined,
): Promise<void> {
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
      const g = l.routes.get(route);
      if (!g) return; // forgotten meanwhile (the table is bounded): nothing known to wait for
      if (queued !== g) {
        leave();
        g.waiters.push(me);
        queued = g;
      }
      const t = l.now();
      let w: number;
      if (l.shared?.applies(g, t)) {
        // The store's budget: the waiters ahead of this one take the slice's grants first.
        w = g.pausedUntil > t ? g.pausedUntil - t : l.shared.turn(g, t, g.waiters.indexOf(me));
        if (w < 0) {
          await l.shared.ask(g, g.waiters.length);
          continue;
        }
      } else w = g.turnIn(t, me);
      if (w === 0) {
        l.tickets.set(request, g.grant(t, route));
        return;
      }
      const left = deadline - t;
      // A known wait that is too long fails now; an open one ("until a reply") at the deadline.
      if (left <= 0 || (w > left && Number.isFinite(w)))
        throw l.refuse(request, g, g.estimate(t), sentStatus);
      await pause(Math.min(w, left), request.signal, g.changed());
    }
  } finally {
    leave();
  }
}
