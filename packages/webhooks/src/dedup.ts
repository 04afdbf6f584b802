import type { ResolvedHandlerOptions } from './handler-options.js';

// De-duplication by `uuid`: RingCentral delivers a notification again when a reply failed or came
// late, with the same uuid. A uuid is claimed before the notification is passed on, and given back
// when `onNotification` failed, so that the redelivery is passed on. In process memory always (a
// bounded map, oldest forgotten first); across processes through the store's lease, which is an
// atomic take-if-free: of two processes receiving the same uuid, one passes it on.

/** How many uuids one process remembers. */
const MEMORY_LIMIT = 10_000;

export interface Claim {
  /** `onNotification` failed: the uuid is free again for a redelivery. */
  release(): Promise<void>;
}

export class Dedup {
  readonly #store: ResolvedHandlerOptions['store'];
  readonly #ttlMs: number;
  readonly #seen = new Map<string, number>();

  constructor(store: ResolvedHandlerOptions['store'], ttlMs: number) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  /** The claim on `uuid`, or `undefined` when it was (or is being) passed on already. */
  async claim(uuid: string): Promise<Claim | undefined> {
    const now = Date.now();
    const until = this.#seen.get(uuid);
    if (until !== undefined && until > now) return undefined;
    this.#remember(uuid, now + this.#ttlMs);
    const key = `webhook-delivery:${uuid}`;
    // One owner per claim: a uuid this process handled and forgot must not count as its own lease.
    const owner = `${now.toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    try {
      if (this.#store && !(await this.#store.acquireLease(key, owner, this.#ttlMs))) return undefined;
    } catch (error) {
      this.#seen.delete(uuid);
      throw error;
    }
    return {
      release: async () => {
        this.#seen.delete(uuid);
        await this.#store?.releaseLease(key, owner);
      },
    };
  }

  #remember(uuid: string, until: number): void {
    this.#seen.delete(uuid);
    this.#seen.set(uuid, until);
    if (this.#seen.size > MEMORY_LIMIT) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
