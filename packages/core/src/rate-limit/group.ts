import type { Budget } from './headers.js';

// The state of one rate-limit group as one client knows it, and the rule that decides whether a
// request of the group may go now. All of it is synchronous: a grant and the count it changes
// happen in one step, so waiters woken together never see the same free budget.

/**
 * A grant not yet on the wire: made in a hook, turned into an in-flight request by the transport.
 * One that never reaches the transport (a later hook threw) stops counting after this long.
 */
const TICKET_TTL_MS = 10_000;
/** The most replies remembered in a window (RingCentral's limits are far below). */
const MAX_REPLIES = 1000;
/** How long a reported `Remaining` holds when the reply named no window (RingCentral's windows: 60 s). */
const DEFAULT_WINDOW_MS = 60_000;

export interface Ticket {
  readonly group: Group;
  readonly route: string;
  readonly at: number;
}

export class Group {
  /** No request of the group goes out before this (epoch ms): a penalty after a 429. */
  pausedUntil = 0;
  /**
   * Requests that may still go out before a reply says more: the server's `Remaining` minus what
   * is outstanding, plus what has left the window since. Undefined: the server reports no budget,
   * so nothing is paced (nor before the group's first reply).
   */
  credit: number | undefined;
  /**
   * When this client's replies of the group arrived, in the last window, oldest first. Each frees
   * one request a window after its reply (the server met the request before replying, so it has
   * left a sliding or a fixed window by then). A window's end thus counts from the first reply in
   * it, not the last: a request paced behind an exhausted budget waits about one window from its
   * turn, not a window plus the time the job took to spend the budget.
   */
  readonly #replies: number[] = [];
  /**
   * When replies left the window (their time plus a window), oldest first, the last MAX_REPLIES. A
   * reply read late says what the server counted when it answered, after its request went out and
   * perhaps well before it is read (a busy event loop, a slow network): those that left since the
   * request went out may still be spent in its `remaining`, and free one each all the same.
   */
  readonly #left: number[] = [];
  limit: number | undefined;
  windowMs: number | undefined;
  /** The last reply's `Remaining` and when it arrived (for a shared budget: what the server counts spent). */
  remaining: number | undefined;
  remainingAt = 0;
  /** Requests of the group on the wire. */
  inflight = 0;
  /**
   * Requests waiting for their turn, first come first served: with more waiters than a window
   * frees, one woken later must not take the turn of one that has waited longer (it would then
   * wait past its `maxWaitMs`).
   */
  readonly waiters: object[] = [];
  readonly #tickets = new Set<Ticket>();
  #changed: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  /** @param name the server's group name; undefined for a route whose group was never named */
  constructor(readonly name: string | undefined) {}

  outstanding(t: number): number {
    for (const ticket of this.#tickets) {
      if (t - ticket.at < TICKET_TTL_MS) break; // oldest first
      this.#tickets.delete(ticket);
    }
    return this.inflight + this.#tickets.size;
  }

  /** 0: a request may go now; else ms until it may (Infinity: when a reply or another process says so). */
  blockedFor(t: number): number {
    if (this.pausedUntil > t) return this.pausedUntil - t;
    if (this.credit === undefined) return 0;
    const window = this.windowMs ?? DEFAULT_WINDOW_MS;
    while (this.#replies.length > 0 && this.#replies[0]! + window <= t) {
      this.#leave(window);
      this.credit++;
    }
    // Waiting for replies that cannot come (the probe failed, a ticket lapsed): let one go.
    if (this.credit <= 0 && this.#replies.length === 0 && this.outstanding(t) === 0) this.credit = 1;
    if (this.credit > 0) return 0;
    const first = this.#replies[0];
    return first === undefined ? Number.POSITIVE_INFINITY : first + window - t;
  }

  /** Like `blockedFor`, for a waiter that goes only after the waiters ahead of it (Infinity: after them). */
  turnIn(t: number, waiter: object): number {
    const w = this.blockedFor(t);
    if (w !== 0 || this.credit === undefined) return w;
    return this.waiters.indexOf(waiter) < this.credit ? 0 : Number.POSITIVE_INFINITY;
  }

  /** The best guess of `blockedFor` for an error message, when it is "until a reply". */
  estimate(t: number): number {
    const w = this.blockedFor(t);
    return Number.isFinite(w) ? w : (this.windowMs ?? 0);
  }

  grant(t: number, route: string): Ticket {
    const ticket: Ticket = { group: this, route, at: t };
    this.#tickets.add(ticket);
    if (this.credit !== undefined) this.credit--;
    return ticket;
  }

  /** The transport sends a request of the group (granted, or one that came another way). */
  sent(ticket: Ticket | undefined): void {
    if (ticket) this.#tickets.delete(ticket);
    this.inflight++;
  }

  /** A request of the group is off the wire (answered or failed). */
  settled(): void {
    this.inflight--;
    this.notify();
  }

  /** The oldest reply leaves the window. */
  #leave(window: number): void {
    this.#left.push(this.#replies.shift()! + window);
    if (this.#left.length > MAX_REPLIES) this.#left.shift();
  }

  /** A reply other than 429: its budget becomes the group's; its request went out at `sentAt`. */
  replied(t: number, budget: Budget, sentAt = t): void {
    if (budget.limit !== undefined) this.limit = budget.limit;
    if (budget.windowMs !== undefined) this.windowMs = budget.windowMs;
    this.remaining = budget.remaining;
    this.remainingAt = t;
    if (budget.remaining === undefined) {
      this.credit = undefined;
      this.#replies.length = 0;
      this.notify();
      return;
    }
    const window = this.windowMs ?? DEFAULT_WINDOW_MS;
    while (this.#replies.length > 0 && this.#replies[0]! + window <= t) this.#leave(window);
    let leftSince = 0; // replies that left the window after the request went out
    for (let i = this.#left.length - 1; i >= 0 && this.#left[i]! > sentAt; i--) leftSince++;
    if (this.#replies.length >= MAX_REPLIES) this.#replies.shift();
    this.#replies.push(t);
    // Conservative: whatever is still outstanding may not be counted in `remaining` yet; and the
    // server's count (others spend the budget too) and this client's own, whichever is lower.
    const outstanding = this.outstanding(t);
    const reported = budget.remaining + leftSince - outstanding;
    this.credit =
      this.limit === undefined
        ? reported
        : Math.min(reported, this.limit - this.#replies.length - outstanding);
    this.notify();
  }

  /**
   * A penalty until `until` (a 429 here, or one another process met). After it one request goes
   * first: its reply tells the fresh budget. Returns false when it changes nothing.
   */
  pause(until: number): boolean {
    if (until <= this.pausedUntil) return false;
    this.pausedUntil = until;
    this.credit = 1;
    this.#replies.length = 0;
    this.#left.length = 0;
    this.notify();
    return true;
  }

  /** A promise of the group's next change; made only when someone waits. */
  changed(): Promise<void> {
    this.#changed ??= new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    return this.#changed;
  }

  notify(): void {
    const wake = this.#wake;
    if (!wake) return;
    this.#changed = undefined;
    this.#wake = undefined;
    wake();
  }
}
