import type { StateStore, TokenStore } from '@rc/core';

// What a webhook keeps between processes and restarts: the subscription id, the filters it was
// last given, when it expires and when to renew it. In the client's store when it implements core's
// StateStore (a restarted process, or another sharing the store, reuses the subscription instead
// of creating a duplicate); in memory otherwise. The verification token is not kept: the app has it.

export interface WebhookState {
  id: string;
  address: string;
  eventFilters: string[];
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms: when the renewer renews. */
  renewAt: number;
}

const isState = (v: unknown): v is WebhookState => {
  const s = v as WebhookState;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.address === 'string' &&
    Array.isArray(s.eventFilters) &&
    Number.isFinite(s.expiresAt) &&
    Number.isFinite(s.renewAt)
  );
};

/** Loads and saves one webhook's state. */
export class StateKeeper {
  readonly #store: (TokenStore & StateStore) | undefined;
  readonly #key: string;
  #memory: WebhookState | undefined;

  constructor(store: (TokenStore & StateStore) | undefined, key: string) {
    this.#store = store;
    this.#key = key;
  }

  async load(): Promise<WebhookState | undefined> {
    if (!this.#store) return this.#memory && structuredClone(this.#memory);
    const value = await this.#store.getState(this.#key);
    return isState(value) ? value : undefined;
  }

  /** Kept until a day after the subscription expires (past that there is nothing to reuse). */
  async save(state: WebhookState): Promise<void> {
    const snapshot = structuredClone(state);
    if (this.#store)
      await this.#store.setState(this.#key, snapshot, Math.max(1, state.expiresAt - Date.now()) + 86_400_000);
    else this.#memory = snapshot;
  }

  async clear(): Promise<void> {
    this.#memory = undefined;
    await this.#store?.deleteState(this.#key);
  }
}
