import type { ResolvedHandlerOptions } from './handler-options.js';

// De-duplication by `uuid`: a notification may be delivered again with the same uuid (the mock
// redelivers after a failed or late reply; RingCentral documents no retry, but an at-least-once
// receiver must not pass a repeat on twice). A uuid is claimed before the notification is passed
// on, and given back when `onNotification` failed, so that a redelivery is passed on.
//
// In process memory always (a bounded map, oldest forgotten first). A repeat that arrives while
// the first is still in `onNotification` here waits for its outcome: answered 200 when it was
// passed on, passed on itself when it failed (it is the live request: the sender may have given
// up on the first one's reply). Across processes through the store's lease, an atomic
// take-if-free: of two processes receiving the same uuid, one passes it on. Another process cannot
// be awaited: a repeat arriving elsewhere while the first is in flight is answered 200 and not
// passed on, and if the first then fails only a later redelivery (the lease given back) is.

/** How many uuids one process remembers. */
const MEMORY_LIMIT = 10_000;

export interface Claim {
  /** `onNotification` succeeded: a repeat waiting on this claim is answered without being passed on. */
  passedOn(): void;
  /** `onNotification` failed: the uuid is free again, and a waiting repeat (or a later one) is passed on. */
  release(): Promise<void>;
}

export class Dedup {
  readonly #store: ResolvedHandlerOptions['store'];
  readonly #ttlMs: number;
  readonly #seen = new Map<string, number>();
  /** The uuids in `onNotification` now: each settles `true` when passed on, `false` when given back. */
  readonly #inFlight = new Map<string, Promise<boolean>>();

  constructor(store: ResolvedHandlerOptions['store'], ttlMs: number) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  /**
   * The claim on `uuid`, or `undefined` when it was passed on already (here or, with a store, by
   * another process). Waits while this process is passing the same uuid on.
   */
  async claim(uuid: string): Promise<Claim | undefined> {
    // Awaited in a loop: of several repeats woken by a failure, the first to get here claims it
    // (from the check to the set below nothing is awaited) and the others wait on its claim.
    for (let pending = this.#inFlight.get(uuid); pending; pending = this.#inFlight.get(uuid)) {
      if (await pending) return undefined;
    }
    const now = Date.now();
    const until = this.#seen.get(uuid);
    if (until !== undefined && until > now) return undefined;
    this.#remember(uuid, now + this.#ttlMs);
    let settle!: (passedOn: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.#inFlight.set(uuid, outcome);
    const end = (passedOn: boolean) => {
      if (this.#inFlight.get(uuid) === outcome) this.#inFlight.delete(uuid);
      settle(passedOn);
    };
    const key = `webhook-delivery:${uuid}`;
    // One owner per claim: a uuid this process handled and forgot must not count as its own lease.
    const owner = `${now.toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    try {
      if (this.#store && !(await this.#store.acquireLease(key, owner, this.#ttlMs))) {
        end(true); // another process has it (passed on, or passing it on): not ours to repeat
        return undefined;
      }
    } catch (error) {
      this.#seen.delete(uuid);
      end(false);
      throw error;
    }
    return {
      passedOn: () => end(true),
      release: async () => {
        this.#seen.delete(uuid);
        try {
          await this.#store?.releaseLease(key, owner);
        } finally {
          end(false);
        }
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
