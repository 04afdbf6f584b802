import { abortable, type StateStore, withDeadline } from '@rc/core';
import type { Shared } from './shared.js';

// The lease: which of the processes sharing a store and key holds the connection. The holder renews
// it every third of its TTL; the others knock a little more often, so a dead holder is replaced
// within about one TTL. Without a store that has leases (or with `failover: false`), this process
// always holds.

export interface LeaseHandlers {
  /** This process just became the holder (`first`: during subscribe(), errors reject it). */
  gained(first: boolean): Promise<void> | void;
  /** Another process holds the lease now. */
  lost(): void;
}

export class Lease {
  readonly #s: Shared;
  readonly #store: StateStore | undefined;
  readonly #key: string;
  readonly #owner: string;
  readonly #handlers: LeaseHandlers;
  #holder: boolean;
  /** Until when the lease is surely ours (from when the last renewal was asked for). */
  #validUntil = Number.POSITIVE_INFINITY;
  /** Waiting for the outcome of the next tick (see verdict()). */
  #waiting: (() => void)[] = [];

  constructor(shared: Shared, store: StateStore | undefined, key: string, handlers: LeaseHandlers) {
    this.#s = shared;
    this.#store = store;
    this.#key = key;
    this.#owner = `${shared.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    this.#handlers = handlers;
    this.#holder = store === undefined;
  }

  /** `true` when processes elect a holder through the store. */
  get shared(): boolean {
    return this.#store !== undefined;
  }

  get holder(): boolean {
    return this.#holder;
  }

  /** Holder, and the lease cannot have lapsed yet (it could not be renewed in time otherwise). */
  get held(): boolean {
    return this.#holder && (!this.#store || this.#s.now() < this.#validUntil);
  }

  /**
   * Resolves when the next renewal has said whether the lease is still ours (held again, or
   * stepped down), or after `ms` when the store does not answer.
   */
  verdict(ms: number): Promise<void> {
    if (!this.#store || this.#s.closed) return Promise.resolve();
    const next = new Promise<void>((resolve) => this.#waiting.push(resolve));
    return withDeadline(next, ms, () => new Error('no verdict')).catch(() => {});
  }

  /** Takes or renews the lease; becomes holder or steps down accordingly. `first`: errors throw. */
  async tick(first = false): Promise<void> {
    const store = this.#store;
    if (this.#s.closed || !store) return;
    const started = this.#s.now();
    const ttl = this.#s.o.leaseTtlMs;
    try {
      const held = await abortable(store.acquireLease(this.#key, this.#owner, ttl), this.#s.stop);
      if (this.#s.closed) return;
      if (held) {
        this.#validUntil = started + ttl;
        if (!this.#holder) {
          this.#holder = true;
          await this.#handlers.gained(first);
        }
      } else if (this.#holder) {
        this.#stepDown();
      }
    } catch (error) {
      if (first) throw error;
      if (this.#s.closed) return;
      this.#s.error(this.#s.asRcError(error, 'Renewing the lease failed'));
      if (this.#holder && this.#s.now() >= this.#validUntil) this.#stepDown();
    } finally {
      for (const resolve of this.#waiting.splice(0)) resolve();
      // Holders renew every third of the TTL; others knock a little more often (jittered).
      const every = this.#holder ? ttl / 3 : (ttl / 4) * (0.75 + Math.random() / 2);
      this.#s.timers.after(Math.max(10, every), () => void this.tick());
    }
  }

  /** Gives the lease up (when this process holds it); errors are reported. */
  async release(): Promise<void> {
    if (this.#holder && this.#store) {
      await this.#store
        .releaseLease(this.#key, this.#owner)
        .catch((error: unknown) => this.#s.error(this.#s.asRcError(error, 'Releasing the lease failed')));
    }
    this.#holder = this.#store === undefined;
  }

  #stepDown(): void {
    this.#holder = false;
    this.#handlers.lost();
  }
}
