import type { SharedPenalties } from '@rc/core';
import { perNamespace } from './per-namespace.js';

// Rate-limit penalties shared by every client on stores over one Keyv instance and namespace, in
// this process: a 429 met by one client holds the others (see SharedPenalties in @rc/core). Found,
// like the locks, through a WeakMap keyed by the Keyv instance, and gone with it.

type Listener = (group: string, untilEpochMs: number) => void;

interface Board {
  readonly ends: Map<string, number>;
  readonly listeners: Set<Listener>;
}

const boards = new WeakMap<object, Map<string, Board>>();

/** The penalties of stores over `keyv` on `namespace`; `now` tells which are still running. */
export function penaltiesFor(keyv: object, namespace: string, now: () => number): SharedPenalties {
  const board = perNamespace(
    boards,
    keyv,
    namespace,
    (): Board => ({ ends: new Map(), listeners: new Set() }),
  );
  const { ends, listeners } = board;
  return {
    async publish(group, untilEpochMs) {
      if (!(untilEpochMs > (ends.get(group) ?? 0))) return;
      ends.set(group, untilEpochMs);
      for (const listener of [...listeners]) {
        try {
          listener(group, untilEpochMs);
        } catch {
          // One client's listener must not keep the penalty from the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async load() {
      const t = now();
      const running: Record<string, number> = {};
      for (const [group, until] of ends) {
        if (until > t) running[group] = until;
        else ends.delete(group);
      }
      return running;
    },
  };
}
