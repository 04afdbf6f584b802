// One rate limiter's state — its groups, the route → group table, the grants made in hooks — and
// its wiring to the client (the `'rateLimited'` event, the store's shared penalties and budget,
// the plugins' observers). What it does with that state is in admission.ts (before a request
// goes) and replies.ts (when its reply arrives); plugin.ts puts it all into a Plugin.

import { RateLimitError } from '../errors/rate-limit-error.js';
import { callListener, type RateLimitInfo } from '../events.js';
import type { Observers } from '../observe.js';
import { redactUrl } from '../redact.js';
import type { SharedBudget, SharedPenalties } from '../store-capabilities.js';
import { describedGroupOf, descriptionLoaded, loadDescription } from './described.js';
import { Group, type Ticket } from './group.js';
import type { LimiterSettings } from './options.js';
import { RouteTable } from './routes.js';
import type { SharedSlices } from './shared-budget.js';

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

export class Limiter implements RateLimiter {
  readonly maxWaitMs: number;
  readonly defaultRetryAfterMs: number;
  readonly now: () => number;
  /** The plugins' observers, once a client wired them (the first client's). */
  observers: Observers | undefined;
  /** The store's budget, when it shares one: then it, not the replies, paces named groups. */
  shared: SharedSlices | undefined;
  /** The store's budget, once a client wired one; its code loads on demand (see {@link pending}). */
  #budget: SharedBudget | undefined;
  #sharing: Promise<void> | undefined;
  #pending: Promise<unknown> | undefined;
  /** The grant a hook made for a request, found again by the transport (ky sends the same Request). */
  readonly tickets = new WeakMap<Request, Ticket>();
  /**
   * Route (ids replaced by a placeholder) → its group: learnt from replies (bounded), else the one
   * RingCentral's API description gives it (every documented route, before its first call).
   */
  readonly routes = new RouteTable((route) => {
    const name = describedGroupOf(route);
    if (name === null) return null; // not loaded yet: asked again once it is
    return name ? this.named(name) : undefined;
  });
  readonly #groups = new Map<string, Group>();
  readonly #listeners = new Set<(info: RateLimitInfo) => void>();
  readonly #onRateLimited: ((info: RateLimitInfo) => void) | undefined;
  readonly #boards = new Set<SharedPenalties>();

  constructor(settings: LimiterSettings) {
    this.maxWaitMs = settings.maxWaitMs;
    this.defaultRetryAfterMs = settings.defaultRetryAfterMs;
    this.now = settings.now;
    this.#onRateLimited = settings.onRateLimited;
    if (settings.onRateLimited) this.#listeners.add(settings.onRateLimited);
  }

  get learntRoutes(): number {
    return this.routes.learnt;
  }

  /** The group the server calls `name` (one per name and limiter). */
  named(name: string): Group {
    let g = this.#groups.get(name);
    if (!g) {
      g = new Group(name);
      this.#groups.set(name, g);
    }
    return g;
  }

  /** The error of a request refused unsent (`sentStatus`: what an earlier attempt of it was answered). */
  refuse(request: Request, g: Group, retryAfterMs: number, sentStatus: number | undefined): RateLimitError {
    return new RateLimitError({
      group: g.name,
      retryAfterMs: Math.ceil(retryAfterMs),
      method: request.method,
      url: redactUrl(request.url),
      maxWaitMs: this.maxWaitMs,
      sentStatus,
    });
  }

  /** A 429 met: tells `onRateLimited`, every wired client, and (for a named group) every process on the store. */
  penalised(info: RateLimitInfo, until: number): void {
    if (info.group !== undefined) {
      for (const board of this.#boards) board.publish(info.group, until).catch(() => undefined);
    }
    for (const listener of this.#listeners) {
      callListener(listener === this.#onRateLimited ? 'onRateLimited' : 'rateLimited', listener, [info]);
    }
  }

  /**
   * What a request waits for before it is admitted, or undefined when nothing is loading (then
   * admission is synchronous). Two parts load on demand: the described route → group table (with
   * the first request of any client) and the shared budget's code (when a store that shares one is
   * wired: only a store several processes share has a budget, so a browser app never downloads it).
   * Requests that arrive while the same loads run wait for one promise, so they go in the order
   * they came. A load that failed (a chunk that could not be fetched) is tried again here when a
   * request arrives; if that attempt fails too, the request goes without it (paced by the replies),
   * never held in a loop.
   */
  pending(): Promise<unknown> | undefined {
    if (this.#budget && !this.shared && !this.#sharing) this.#share(this.#budget);
    if (this.#pending) return this.#pending; // until it settles: a later request goes after the earlier
    const described = descriptionLoaded();
    if (described && !this.#sharing) return undefined;
    const all: Promise<unknown> = Promise.all([described || loadDescription(), this.#sharing]).finally(() => {
      if (this.#pending === all) this.#pending = undefined;
    });
    this.#pending = all;
    return all;
  }

  /** The shared budget's code while it loads (it never rejects). */
  get sharing(): Promise<void> | undefined {
    return this.#sharing;
  }

  #share(budget: SharedBudget): void {
    const loading: Promise<void> = import('./shared-budget.js')
      .then(
        ({ SharedSlices }) => {
          this.shared ??= new SharedSlices(budget, this.now);
        },
        () => undefined, // not fetched: paced by the replies until a later request loads it
      )
      .finally(() => {
        if (this.#sharing === loading) this.#sharing = undefined;
      });
    this.#sharing = loading;
    this.#pending = undefined; // requests from now on wait for this load too
  }

  attach(wiring: RateLimiterWiring): void {
    this.#listeners.add(wiring.emit);
    this.observers ??= wiring.observe;
    if (wiring.budget && !this.#budget) {
      this.#budget = wiring.budget;
      this.#share(wiring.budget); // now, so requests already waiting for the table wait for it too
    }
    const board = wiring.penalties;
    if (!board || this.#boards.has(board)) return;
    this.#boards.add(board);
    const apply = (group: string, until: number) => {
      if (typeof group === 'string' && Number.isFinite(until) && until > this.now())
        this.named(group).pause(until);
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
  }
}
