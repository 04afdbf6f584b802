import { withDeadline } from '@rc/core/kit';
import type { Connection } from './connection.js';
import type { Lease } from './lease.js';
import type { Shared } from './shared.js';
import { RECENT_UUIDS } from './state.js';
import type { Notification } from './types.js';
import type { Frame } from './wire.js';

// Delivering notifications: one at a time and in order (an async listener is awaited), each once
// (de-duplicated by uuid), the state saved after each (not awaited: a slow store must not hold
// deliveries back). What a connection received is never skipped: it is delivered, or left to whoever
// recovers the session when the store says they can.

export class Delivery {
  readonly #s: Shared;
  readonly #lease: Lease;
  #recent = new Set<string>();
  #queue: Promise<void>;
  #inListener = false;
  /** After this process lost the lease: whether its successor can recover what it still holds. */
  #handover: Promise<boolean> | undefined;

  /** Nothing is delivered before `ready` (listeners added right after subscribe() see everything). */
  constructor(shared: Shared, lease: Lease, ready: Promise<void>) {
    this.#s = shared;
    this.#lease = lease;
    this.#queue = ready;
  }

  /** The uuids delivered before (from the saved state), for de-duplication. */
  restore(recent: string[]): void {
    this.#recent = new Set(recent);
  }

  /** This process holds the lease again: a later step-down asks the store afresh. */
  resetHandover(): void {
    this.#handover = undefined;
  }

  /**
   * Resolves once the queued notifications are done. A listener running now is not waited for:
   * close() may have been called from it, which would wait for itself.
   */
  drained(): Promise<void> {
    return this.#inListener ? Promise.resolve() : this.#queue;
  }

  onFrame(connection: Connection, frame: Frame): void {
    if (frame.type === 'Error') {
      this.#s.error(frame.error);
      return;
    }
    if (frame.type !== 'ServerNotification') return;
    const { notification, wsc } = frame;
    this.#queue = this.#queue.then(() => this.#deliver(connection, notification, wsc));
  }

  async #deliver(connection: Connection, n: Notification, wsc: Frame['wsc']): Promise<void> {
    const s = this.#s;
    // Closed: left unrecorded, so whoever recovers the session next receives it (or it was deleted).
    if (s.closed) return;
    // A holder whose lease may have lapsed (a renewal late or failing) waits for the next renewal
    // to say whether it still holds: a successor may be recovering the session (it replays this).
    if (this.#lease.holder && !this.#lease.held) await this.#lease.verdict(s.o.leaseTtlMs);
    if (s.closed) return;
    if (this.#lease.holder && s.conn !== connection) return; // our own reconnection replays it
    // Never skipped otherwise (a holder that lost its store must not drop what it holds): one whose
    // store does not answer delivers (at least once) but records nothing there, where a successor's
    // state may be; one that stepped down delivers unless its successor can recover it from the
    // state it left.
    const save = this.#lease.held;
    if (!this.#lease.holder && (await this.#handedOver())) return;
    this.#inListener = true;
    try {
      await this.#record(n, wsc, save);
    } finally {
      this.#inListener = false;
    }
  }

  /**
   * After stepping down: `true` when the store still holds this session's state (its successor
   * recovers it and receives what came after); `false` when it is gone (a store that restarted
   * empty), unreachable, or another session's. Asked once per step-down.
   */
  #handedOver(): Promise<boolean> {
    const s = this.#s;
    const id = s.state.subscriptionId;
    this.#handover ??= withDeadline(s.keeper.load(), s.o.leaseTtlMs, () => new Error('timeout')).then(
      (stored) => stored !== undefined && stored.wsc !== undefined && stored.subscriptionId === id,
      () => false,
    );
    return this.#handover;
  }

  async #record(n: Notification, wsc: Frame['wsc'], save: boolean): Promise<void> {
    const s = this.#s;
    if (!this.#recent.has(n.uuid)) {
      this.#recent.add(n.uuid);
      s.state.recent.push(n.uuid);
      if (s.state.recent.length > RECENT_UUIDS * 2) s.state.recent = s.state.recent.slice(-RECENT_UUIDS);
      if (this.#recent.size > RECENT_UUIDS * 2) this.#recent = new Set(s.state.recent);
      await s.events.emit('notification', n);
    }
    if (wsc) s.state.wsc = wsc;
    // Closed by a listener with unsubscribe: the state was (or is being) deleted; do not revive it.
    if (!save || (s.closed && s.unsubscribed)) return;
    // Not awaited: the next notification does not wait on the store. Writes stay in order, merged.
    void s
      .persist()
      .catch((error: unknown) => s.error(s.asRcError(error, 'Saving the subscription state failed')));
  }
}
