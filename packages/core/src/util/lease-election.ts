// One holder among the processes sharing a store: the election @rc/subscriptions runs for its
// WebSocket connection, kept here so that every extension with "exactly one process does this"
// work (a connection, a webhook's renewals) elects the same way instead of keeping a copy. It
// stands on StateStore's lease (atomic take-or-renew with a TTL); the holder renews every third of
// the TTL, the others knock a little more often (jittered), so a dead holder is replaced within
// about one TTL. The holder is told when it gains and loses the lease; a renewal that fails is
// reported, and the holder steps down once the lease may have lapsed.
import type { StateStore } from '../store-capabilities.js';
import { abortable } from './abortable.js';
import { withDeadline } from './deadline.js';

/** The longest delay `setTimeout` honours (a longer one fires at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of {@link LeaseElection}. */
export interface LeaseElectionOptions {
  /** The store whose lease elects the holder. */
  store: Pick<StateStore, 'acquireLease' | 'releaseLease'>;
  /** The lease's name: processes electing one holder give the same key. */
  key: string;
  /** How long the lease lasts without renewal, in ms. */
  ttlMs: number;
  /** This process became the holder. `first`: during {@link LeaseElection.start}, whose caller sees what it throws. */
  gained?: (first: boolean) => void | Promise<void>;
  /** Another process holds the lease now (or this one's may have lapsed). */
  lost?: () => void;
  /** A renewal or a release failed (the election goes on). */
  error?: (error: unknown) => void;
  /** The clock, in epoch ms. @default Date.now */
  now?: () => number;
  /**
   * Aborting it stops the election at once: no more renewals, and a store call under way is no
   * longer waited for. `holder` keeps its last value, so that the owner can still act as the holder
   * while it shuts down; `stop()` then gives the lease up (unless it has expired meanwhile).
   */
  signal?: AbortSignal;
}

/**
 * Elects one holder among everyone sharing `store` and `key`.
 * @example
 * const election = new LeaseElection({ store, key: 'my-job', ttlMs: 10_000, gained: () => startJob(), lost: () => stopJob() });
 * await election.start();
 * // ... on shutdown:
 * await election.stop();
 */
export class LeaseElection {
  /** This process's name in the lease (random). */
  readonly owner: string;
  readonly #o: LeaseElectionOptions;
  readonly #now: () => number;
  #holder = false;
  #validUntil = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Waiting for the outcome of the next attempt (see verdict()). */
  #waiting: (() => void)[] = [];

  constructor(options: LeaseElectionOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    options.signal?.addEventListener('abort', () => this.#halt(), { once: true });
    this.owner = `${this.#now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  }

  /** `true` while this process holds the lease (as far as it knows). */
  get holder(): boolean {
    return this.#holder;
  }

  /** Holder, and the lease cannot have lapsed yet (measured from when its last renewal was asked for). */
  get held(): boolean {
    return this.#holder && this.#now() < this.#validUntil;
  }

  /**
   * Resolves when the next attempt has said whether the lease is still this process's (renewed, or
   * stepped down), or after `ms` when the store does not answer; at once when stopped.
   */
  verdict(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const next = new Promise<void>((resolve) => this.#waiting.push(resolve));
    return withDeadline(next, ms, () => new Error('no verdict')).catch(() => {});
  }

  /** The first attempt: rejects when the store fails (or `gained` throws); then keeps electing. */
  start(): Promise<void> {
    return this.#tick(true);
  }

  /** Stops electing and gives the lease up when this process holds it (errors go to `error`). */
  async stop(): Promise<void> {
    this.#halt();
    if (!this.#holder) return;
    this.#holder = false;
    await this.#o.store.releaseLease(this.#o.key, this.owner).catch((e: unknown) => this.#o.error?.(e));
  }

  async #tick(first = false): Promise<void> {
    if (this.#o.signal?.aborted) this.#halt();
    if (this.#stopped) return;
    const { store, key, ttlMs } = this.#o;
    const started = this.#now();
    try {
      const held = await abortable(store.acquireLease(key, this.owner, ttlMs), this.#o.signal);
      if (this.#stopped) return;
      if (held) {
        this.#validUntil = started + ttlMs;
        if (!this.#holder) {
          this.#holder = true;
          await this.#o.gained?.(first);
        }
      } else if (this.#holder) {
        this.#stepDown();
      }
    } catch (error) {
      if (first) {
        // The caller is told; a lease taken before `gained` threw is not kept from the others.
        this.#stopped = true;
        if (this.#holder) {
          this.#holder = false;
          await this.#o.store.releaseLease(key, this.owner).catch(() => {});
        }
        throw error;
      }
      if (this.#stopped) return; // aborted or stopped meanwhile: nothing to report
      this.#o.error?.(error);
      if (this.#holder && this.#now() >= this.#validUntil) this.#stepDown();
    } finally {
      for (const resolve of this.#waiting.splice(0)) resolve();
      if (!this.#stopped) {
        const every = this.#holder ? ttlMs / 3 : (ttlMs / 4) * (0.75 + Math.random() / 2);
        this.#timer = setTimeout(
          () => void this.#tick(),
          Math.min(MAX_TIMER_MS, Math.max(10, Math.floor(every))),
        );
      }
    }
  }

  /** The signal aborted: no more attempts (`holder` stays as it was, for stop() to release). */
  #halt(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  #stepDown(): void {
    this.#holder = false;
    this.#o.lost?.();
  }
}
