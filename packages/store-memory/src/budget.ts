import type { SharedBudget } from '@rc/core';
import { perNamespace } from './per-namespace.js';

// The rate-limit budget shared by every client on stores over one Keyv instance and namespace, in
// this process (see SharedBudget in @rc/core): per group, the times of the requests reserved in
// the window (future ones too), in order. Found, like the penalties, through a WeakMap keyed by the Keyv instance.

interface Ledger {
  readonly granted: number[];
  limit: number;
  windowMs: number;
}

const ledgers = new WeakMap<object, Map<string, Map<string, Ledger>>>();
/** Kept while no window is known (a limit is then not known either): grants are counted for this long. */
const KEEP_MS = 3_600_000;

const count = (v: unknown, name: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new TypeError(`budget: \`${name}\` must be an integer ≥ 0`);
  return v;
};

/** The budget of stores over `keyv` on `namespace`; `now` is the clock of their windows. */
export function budgetFor(keyv: object, namespace: string, now: () => number): SharedBudget {
  const book = perNamespace(ledgers, keyv, namespace, () => new Map<string, Ledger>());
  return {
    async take(group, want, limit, windowMs, spent = 0, spentAgoMs = 0) {
      if (typeof group !== 'string') throw new TypeError('budget: `group` must be a string');
      count(want, 'want');
      count(limit, 'limit');
      count(Math.ceil(windowMs), 'windowMs');
      count(spent, 'spent');
      count(Math.ceil(spentAgoMs), 'spentAgoMs');
      let ledger = book.get(group);
      if (!ledger) {
        ledger = { granted: [], limit: 0, windowMs: 0 };
        book.set(group, ledger);
      }
      if (limit > 0 && windowMs > 0) Object.assign(ledger, { limit, windowMs });
      const known = ledger.limit > 0 && ledger.windowMs > 0;
      const t = now();
      const { granted: times, limit: max, windowMs: window } = ledger;
      const keep = known ? window : KEEP_MS;
      let old = 0;
      while (old < times.length && times[old]! <= t - keep) old++;
      times.splice(0, old);
      // What the server counted spent then and this ledger did not: counted from then (as in Redis).
      const said = t - spentAgoMs;
      const short = spent - times.filter((x) => x <= said).length;
      if (known && short > 0 && said > t - window) {
        times.push(...Array.from({ length: short }, () => said));
        times.sort((x, y) => x - y);
      }
      // A reservation goes when the entry `limit` places back leaves the window (as in Redis).
      const at = known && times.length >= max ? Math.max(t, times[times.length - max]! + window) : t;
      const n = known ? Math.min(want, max - times.filter((x) => x > at - window).length) : want;
      if (n <= 0) return { granted: 0, inMs: Math.max(1, at - t) };
      let i = times.length;
      while (i > 0 && times[i - 1]! > at) i--;
      times.splice(i, 0, ...Array.from({ length: n }, () => at));
      return { granted: n, inMs: at - t };
    },
  };
}
