// When a reply arrives: what it says of its group (`X-Rate-Limit-*`) becomes the group's state,
// and a 429 pauses the group for its `Retry-After` and is told to every listener and process.
// Runs in the plugin's transport wrapper, which counts what is on the wire and never waits.

import { redactUrl } from '../redact.js';
import { Group } from './group.js';
import { readBudget, retryAfterOf } from './headers.js';
import type { Limiter } from './limiter.js';

/** Reads a reply into the state of the route's group; `sentIn` is the group it was sent in, at `sentAt`. */
export function readReply(
  l: Limiter,
  method: string,
  url: () => string,
  route: string,
  response: Response,
  sentIn: Group | undefined,
  sentAt: number,
): void {
  const t = l.now();
  const budget = readBudget(response.headers);
  let g = l.routes.get(route);
  if (budget.group !== undefined && g?.name !== budget.group) {
    g = l.named(budget.group);
    l.routes.set(route, g);
  }
  if (sentIn) sentIn.inflight--;
  if (response.status === 429) {
    const retryAfterMs = retryAfterOf(response.headers, t) ?? l.defaultRetryAfterMs;
    if (!g) {
      // Never named: the penalty holds this route alone, not every route.
      g = new Group(undefined);
      l.routes.set(route, g);
    }
    if (budget.limit !== undefined) g.limit = budget.limit;
    if (budget.windowMs !== undefined) g.windowMs = budget.windowMs;
    g.pause(t + retryAfterMs);
    l.penalised({ group: g.name, retryAfterMs, method, url: redactUrl(url()) }, t + retryAfterMs);
  } else if (g) {
    g.replied(t, budget, sentAt);
  }
  if (sentIn && sentIn !== g) sentIn.notify();
}
