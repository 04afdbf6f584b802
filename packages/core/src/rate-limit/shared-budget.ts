import type { SharedBudget } from '../store-capabilities.js';
import type { Group } from './group.js';

// The rate-limit budget shared by every process on the store (SharedBudget in @rc/core): a request
// of a named group goes only with a slice of the group's window taken from the store, several
// requests per call, so N processes of one app together stay within what RingCentral allows.

/**
 * The store counts a slice when it grants it, the server each request when it arrives, a little
 * later (the hooks after this one, the wire, a busy event loop): the store's window is longer by
 * this fraction of it, at least MIN_MARGIN_MS, and a grant not used within half of that lapses
 * (sent later, it would leave the server's window after the store's).
 */
const MARGIN = 1 / 50;
const MIN_MARGIN_MS = 250;
/**
 * At most this fraction of the limit is asked for at once beyond what waits, so a process sending
 * many requests asks once per several. Less when the last slice showed less is used: a slice that
 * lapsed before it was used up (its unused grants spent at the store all the same) makes the next
 * no larger than what was used, so a process sending one request at a time, slower than slices
 * lapse, reserves what it sends rather than several times that; a slice used up and followed by a
 * request before a slice would have lapsed doubles the next.
 */
const SLICE = 1 / 8;
/** The window assumed before a reply names one (RingCentral's: 60 s). */
const DEFAULT_WINDOW_MS = 60_000;

/** A slice reserved at the store: `n` requests (of `granted`) that may go from `from` until `until` (epoch ms). */
interface Slice {
  n: number;
  readonly granted: number;
  readonly from: number;
  readonly until: number;
  /** Asked for knowing the limit: how it is used sizes the next slice. */
  readonly sized: boolean;
}

export class SharedSlices {
  /** The slice reserved and not used up yet, per group (one at a time). */
  readonly #slices = new Map<Group, Slice>();
  readonly #asking = new Map<Group, Promise<void>>();
  /**
   * What the last sized slice of a group showed: the size it calls for, and when it was used up
   * (-Infinity: it lapsed).
   */
  readonly #hints = new Map<Group, [size: number, usedUpAt: number]>();
  /** After a failed call: the limiter's own pacing until then (best effort). */
  #offUntil = 0;

  constructor(
    readonly budget: SharedBudget,
    readonly now: () => number,
  ) {}

  /**
   * Whether a request of `g` needs a reservation from the store: a named group whose replies
   * report a budget, or that none has answered yet (the store counts those requests, granted all
   * at once: processes starting together must not each spend what the others did), while the store
   * answers. A group the server does not meter costs the store nothing.
   */
  applies(g: Group, t: number): boolean {
    return g.name !== undefined && (g.credit !== undefined || g.limit === undefined) && t >= this.#offUntil;
  }

  /** The group's slice, unless it lapsed (grants not used in time are lost: they counted anyway). */
  slice(g: Group, t: number): Slice | undefined {
    const s = this.#slices.get(g);
    if (s && s.until <= t) {
      this.#slices.delete(g);
      if (s.sized) this.#hints.set(g, [Math.max(1, s.granted - s.n), Number.NEGATIVE_INFINITY]);
    }
    return s && s.until > t ? s : undefined;
  }

  /**
   * For the waiter `place` places from the head of the group's line: 0 when it may go now (its
   * grant is then used), ms until its slice begins, or -1: it needs a new slice (`ask`).
   */
  turn(g: Group, t: number, place: number): number {
    const s = this.slice(g, t);
    if (!s || place >= s.n) return s && s.from > t ? s.from - t : -1;
    if (s.from > t) return s.from - t;
    if (--s.n <= 0) {
      this.#slices.delete(g);
      if (s.sized) this.#hints.set(g, [s.granted, t]);
    }
    return 0;
  }

  /** How many requests the next slice of `g` holds beyond its waiters (`life`: how long a slice lasts). */
  #size(g: Group, limit: number, life: number): number {
    const most = Math.ceil(limit * SLICE);
    const [size, usedUpAt] = this.#hints.get(g) ?? [most, 0];
    return Math.min(most, this.now() - usedUpAt <= life ? 2 * size : size);
  }

  /** Reserves a slice of at least `want` requests of `g` (one call per group at a time; callers share it). */
  ask(g: Group, want: number): Promise<void> {
    let pending = this.#asking.get(g);
    if (pending) return pending;
    const window = g.windowMs ?? DEFAULT_WINDOW_MS;
    const margin = Math.max(MIN_MARGIN_MS, Math.ceil(window * MARGIN));
    const limit = g.limit ?? 0;
    const n = limit > 0 ? Math.min(limit, Math.max(want, this.#size(g, limit, margin / 2))) : want;
    const spent = limit > 0 && g.remaining !== undefined ? Math.max(0, limit - g.remaining) : 0;
    pending = this.budget
      .take(
        g.name as string,
        n,
        limit,
        g.windowMs === undefined ? 0 : window + margin,
        spent,
        Math.max(0, this.now() - g.remainingAt),
      )
      .then(
        ({ granted, inMs }) => {
          const from = this.now() + (Number.isFinite(inMs) && inMs > 0 ? inMs : 0);
          const sized = limit > 0;
          if (granted > 0)
            this.#slices.set(g, { n: granted, granted, from, until: from + margin / 2, sized });
          // Nothing reserved (a store that refuses): ask again when it said.
          else this.#slices.set(g, { n: 0, granted: 0, from, until: from + 1, sized: false });
        },
        () => {
          this.#offUntil = this.now() + window;
        },
      )
      .finally(() => {
        this.#asking.delete(g);
        g.notify(); // waiters paused on a timer may use it
      });
    this.#asking.set(g, pending);
    return pending;
  }
}
