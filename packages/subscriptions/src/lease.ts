import type { StateStore } from '@rc/core';
import { LeaseElection } from '@rc/core/kit';
import type { Shared } from './shared.js';

// The lease: which of the processes sharing a store and key holds the connection, elected by
// core's LeaseElection (the election @rc/webhooks' renewer uses too): the holder renews every third
// of the TTL, the others knock a little more often, so a dead holder is replaced within about one
// TTL. Closing the subscription aborts it at once (its stop signal). Without a store that has leases
// (or with `failover: false`), this process always holds.

export interface LeaseHandlers {
  /** This process just became the holder (`first`: during subscribe(), errors reject it). */
  gained(first: boolean): Promise<void> | void;
  /** Another process holds the lease now. */
  lost(): void;
}

export class Lease {
  readonly #election: LeaseElection | undefined;

  constructor(shared: Shared, store: StateStore | undefined, key: string, handlers: LeaseHandlers) {
    this.#election =
      store &&
      new LeaseElection({
        store,
        key,
        ttlMs: shared.o.leaseTtlMs,
        now: shared.now,
        signal: shared.stop,
        gained: handlers.gained,
        lost: handlers.lost,
        error: (error) => shared.error(shared.asRcError(error, 'Renewing or releasing the lease failed')),
      });
  }

  /** `true` when processes elect a holder through the store. */
  get shared(): boolean {
    return this.#election !== undefined;
  }

  get holder(): boolean {
    return this.#election?.holder ?? true;
  }

  /** Holder, and the lease cannot have lapsed yet (it could not be renewed in time otherwise). */
  get held(): boolean {
    return this.#election?.held ?? true;
  }

  /**
   * Resolves when the next renewal has said whether the lease is still ours (held again, or
   * stepped down), or after `ms` when the store does not answer.
   */
  verdict(ms: number): Promise<void> {
    return this.#election?.verdict(ms) ?? Promise.resolve();
  }

  /** The first attempt (during subscribe(): errors reject it); then it keeps electing. */
  start(): Promise<void> {
    return this.#election?.start() ?? Promise.resolve();
  }

  /** Gives the lease up (when this process holds it); errors are reported. */
  release(): Promise<void> {
    return this.#election?.stop() ?? Promise.resolve();
  }
}
