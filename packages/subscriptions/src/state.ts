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

/** Loads and saves one subscription's state; saves are written in order, one at a time. */
export class StateKeeper {
  readonly #store: (TokenStore & StateStore) | undefined;
  readonly #key: string;
  #memory: SubscriptionState | undefined;
  #writes: Promise<void> = Promise.resolve();

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

  /** Queues a write of `state` (a snapshot is taken now); resolves when it is written. */
  save(state: SubscriptionState, ttlMs: number): Promise<void> {
    const snapshot = structuredClone({
      wsc: state.wsc,
      subscriptionId: state.subscriptionId,
      eventFilters: state.eventFilters,
      expiresAt: state.expiresAt,
      recent: state.recent.slice(-RECENT_UUIDS),
    });
    const write = this.#writes.then(async () => {
      if (this.#store) await this.#store.setState(this.#key, snapshot, ttlMs);
      else this.#memory = snapshot;
    });
    this.#writes = write.catch(() => {});
    return write;
  }

  async clear(): Promise<void> {
    await this.#writes;
    this.#memory = undefined;
    await this.#store?.deleteState(this.#key);
  }
}
