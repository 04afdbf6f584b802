import type { StateStore, TokenStore } from '@rc/core';
import type { Wsc } from './wire.js';

// What a subscription keeps between connections, processes and restarts: the latest `wsc`
// recovery token (of the last notification delivered), the subscription id, filters and expiry
// (whoever recovers the session must renew it in time), and the uuids of the last notifications
// delivered (for de-duplication). In the client's store when it
// implements core's StateStore (so a restarted process, or another process sharing the store,
// recovers the session); in memory otherwise.

/** How many delivered uuids are remembered to drop duplicates. */
export const RECENT_UUIDS = 200;

export interface SubscriptionState {
  wsc: Wsc | undefined;
  subscriptionId: string | undefined;
  eventFilters: string[];
  /**
   * When the subscription expires unless renewed (epoch ms); `null` when the gateway gave it no
   * lifetime (nothing to renew); undefined in state written before this field existed.
   */
  expiresAt?: number | null | undefined;
  recent: string[];
}

const isState = (v: unknown): v is SubscriptionState => {
  const s = v as SubscriptionState;
  return (
    typeof s === 'object' &&
    s !== null &&
    Array.isArray(s.eventFilters) &&
    Array.isArray(s.recent) &&
    (s.subscriptionId === undefined || typeof s.subscriptionId === 'string') &&
    (s.expiresAt === undefined || s.expiresAt === null || Number.isFinite(s.expiresAt)) &&
    (s.wsc === undefined || (typeof s.wsc?.token === 'string' && typeof s.wsc.sequence === 'number'))
  );
};

/**
 * Loads and saves one subscription's state. Saves are written in order, one at a time, and coalesce:
 * while a write is under way, the saves made meanwhile become one write of the latest state (a
 * slow store never builds a queue, and never receives an older state after a newer one).
 */
export class StateKeeper {
  readonly #store: (TokenStore & StateStore) | undefined;
  readonly #key: string;
  #memory: SubscriptionState | undefined;
  #writes: Promise<void> = Promise.resolve();
  /** The next write, not started yet: later saves replace its snapshot and share its promise. */
  #next: { snapshot: SubscriptionState; ttlMs: number; write: Promise<void> } | undefined;

  constructor(store: (TokenStore & StateStore) | undefined, key: string) {
    this.#store = store;
    this.#key = key;
  }

  /** `true` when the state outlives the process (it is in a store). */
  get durable(): boolean {
    return this.#store !== undefined;
  }

  async load(): Promise<SubscriptionState | undefined> {
    await this.#writes;
    if (!this.#store) return this.#memory && structuredClone(this.#memory);
    const value = await this.#store.getState(this.#key);
    return isState(value) ? value : undefined;
  }

  /** Queues a write of `state` (a snapshot is taken now); resolves when it (or a later one) is written. */
  save(state: SubscriptionState, ttlMs: number): Promise<void> {
    const snapshot = structuredClone({
      wsc: state.wsc,
      subscriptionId: state.subscriptionId,
      eventFilters: state.eventFilters,
      expiresAt: state.expiresAt,
      recent: state.recent.slice(-RECENT_UUIDS),
    });
    if (this.#next) {
      this.#next.snapshot = snapshot;
      this.#next.ttlMs = ttlMs;
      return this.#next.write;
    }
    const write = this.#writes.then(async () => {
      const next = this.#next;
      this.#next = undefined;
      if (!next) return;
      if (this.#store) await this.#store.setState(this.#key, next.snapshot, next.ttlMs);
      else this.#memory = next.snapshot;
    });
    this.#next = { snapshot, ttlMs, write };
    this.#writes = write.catch(() => {});
    return write;
  }

  /** Resolves once the writes queued so far are done (failed ones included). */
  settled(): Promise<void> {
    return this.#writes;
  }

  async clear(): Promise<void> {
    await this.#writes;
    this.#memory = undefined;
    await this.#store?.deleteState(this.#key);
  }
}
