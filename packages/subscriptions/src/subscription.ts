import type { RcClient } from '@rc/core';
import { abortable, backoffDelay, checkEventFilters, supportsState, withDeadline } from '@rc/core/kit';
import type { Connection } from './connection.js';
import { Connector } from './connector.js';
import { Delivery } from './delivery.js';
import { EVENT_NAMES } from './emitter.js';
import { SubscriptionError } from './errors.js';
import { Lease } from './lease.js';
import type { ResolvedOptions } from './options.js';
import { Renewal, STABLE_MS, SUBSCRIPTION_PATH } from './renewal.js';
import { createShared, type Shared } from './shared.js';
import { StateKeeper } from './state.js';
import type { Subscription, SubscriptionEventName, SubscriptionEvents } from './types.js';
import { requestError } from './wire.js';

// The subscription: it drives the parts — the lease (who holds the connection), the connector (ws
// token and socket), delivery (once, in order), renewal (the gateway's limits) — through the
// connection's life: connecting and recovering, reconnecting with backoff, closing. One instance
// per subscribe() call; the parts share its state through `Shared`.

/** FNV-1a: a short stable hash for the default key (not a security measure). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export class LiveSubscription implements Subscription {
  readonly #s: Shared;
  readonly #lease: Lease;
  readonly #connector: Connector;
  readonly #delivery: Delivery;
  readonly #renewal: Renewal;
  /** Aborted by close(): every wait of a connection attempt gives up at once. */
  readonly #stop = new AbortController();
  #stopping: Promise<void> | undefined;
  #attempt = 0;
  #connecting: Promise<void> | undefined;
  // Events and notifications wait for `#ready`: one macrotask after subscribe() resolves, so that
  // listeners added right after `await subscribe()` see the first 'connected', a 'recovered' from a
  // restart, and the missed notifications replayed with it.
  #markReady!: () => void;
  readonly #ready = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });
  readonly #onAbort = () => void this.close();

  constructor(rc: RcClient, options: ResolvedOptions) {
    const key =
      options.key ?? `subscription:${rc.sessionKey}:${hash([...options.eventFilters].sort().join('\n'))}`;
    const store = supportsState(rc.store) ? rc.store : undefined;
    const ready = this.#ready;
    const s = createShared(options, new StateKeeper(store, key), this.#stop.signal, ready);
    this.#s = s;
    this.#lease = new Lease(s, store && options.failover ? store : undefined, key, {
      gained: (first) => {
        this.#delivery.resetHandover();
        if (first) return this.#connect();
        this.#scheduleReconnect(true);
      },
      // Another process holds the lease: drop the connection (the session stays recoverable for it).
      lost: () => {
        s.conn?.close();
        s.conn = undefined;
      },
    });
    this.#connector = new Connector(s, rc);
    this.#delivery = new Delivery(s, this.#lease, ready);
    this.#renewal = new Renewal(s, {
      retry: () => this.#scheduleReconnect(),
      ended: () => this.#reconnectAfterEnd(),
    });
    if (options.onNotification) s.events.on('notification', options.onNotification);
  }

  get id() {
    return this.#s.state.subscriptionId;
  }
  get eventFilters() {
    return [...this.#s.state.eventFilters];
  }
  get holder() {
    return this.#lease.holder;
  }

  on<E extends SubscriptionEventName>(event: E, listener: SubscriptionEvents[E]): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new SubscriptionError(`on(): unknown event "${String(event)}" (${EVENT_NAMES.join(', ')})`);
    }
    return this.#s.events.on(event, listener);
  }

  /** Connects (or, with failover, tries to take the lease); rejects when the first attempt fails. */
  async start(): Promise<void> {
    const { signal } = this.#s.o;
    if (signal?.aborted) throw new SubscriptionError('subscribe: the signal was already aborted');
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    try {
      if (this.#lease.shared) {
        await this.#lease.start();
        if (!this.#lease.holder) {
          const stored = await this.#until(this.#s.keeper.load());
          if (stored) this.#s.state.subscriptionId = stored.subscriptionId;
        }
      } else {
        await this.#connect();
      }
      if (this.#s.closed) throw this.#stop.signal.reason; // aborted while connecting
    } catch (error) {
      this.#markReady();
      await this.#shutdown(false);
      if (signal?.aborted) throw new SubscriptionError('subscribe: the signal was aborted while connecting');
      throw error;
    }
    this.#s.timers.after(0, this.#markReady);
  }

  /** `work`, or a rejection as soon as the subscription is closed (the signal aborted). */
  #until<T>(work: Promise<T>): Promise<T> {
    return abortable(work, this.#stop.signal) as Promise<T>;
  }

  async update(eventFilters: string[]): Promise<void> {
    const filters = checkEventFilters(eventFilters, 'update');
    const s = this.#s;
    if (s.closed) throw new SubscriptionError('update(): the subscription is closed');
    s.state.eventFilters = filters;
    const conn = s.conn;
    if (!conn || !s.state.subscriptionId) return; // applied at the next (re)subscribe
    await this.#renewal.update(conn, filters, 'Updating the subscription failed');
    await s.persist();
  }

  async close(options: { unsubscribe?: boolean } = {}): Promise<void> {
    if (this.#s.closed) return;
    await this.#shutdown(options.unsubscribe ?? true);
  }

  /** Once, whoever asks first (close(), the signal, a failed start). */
  #shutdown(unsubscribe: boolean): Promise<void> {
    this.#stopping ??= this.#stopNow(unsubscribe);
    return this.#stopping;
  }

  async #stopNow(unsubscribe: boolean): Promise<void> {
    const s = this.#s;
    s.closed = true;
    // Whatever is waiting (a wstoken request, a socket opening, the store) gives up now; and no
    // timer can be set from here on, whatever reply arrives late.
    this.#stop.abort(new SubscriptionError('The subscription was closed'));
    s.o.signal?.removeEventListener('abort', this.#onAbort);
    s.timers.stop();
    this.#markReady(); // its timer was just cleared
    s.unsubscribed = unsubscribe;
    const conn = s.conn;
    s.conn = undefined;
    // Let the queue drain (queued notifications return at once now: closed, so not recorded, and
    // whoever recovers the session receives them); then the state of what was delivered reaches
    // the store before a successor may read it (bounded: a dead store does not hold close()).
    await this.#delivery.drained();
    await withDeadline(s.keeper.settled(), s.o.requestTimeoutMs, () => new Error('timeout')).catch(() => {});
    if (unsubscribe && this.#lease.holder) await this.#unsubscribe(conn);
    conn?.close();
    await this.#lease.release();
    // After the events queued so far (an 'error' from the DELETE, say) have been emitted.
    await this.#ready;
    await Promise.resolve();
    s.events.clear();
  }

  /** Deletes the subscription at the gateway and its state in the store; errors are reported. */
  async #unsubscribe(conn: Connection | undefined): Promise<void> {
    const s = this.#s;
    const id = s.state.subscriptionId;
    if (conn && id) {
      const what = 'Deleting the subscription failed';
      try {
        const reply = await conn.request('DELETE', `${SUBSCRIPTION_PATH}/${id}`);
        if (reply.status >= 300 && reply.status !== 404)
          s.error(requestError(reply.status, reply.body, what, s.secrets));
      } catch (error) {
        s.error(s.asRcError(error, what));
      }
    }
    await s.keeper
      .clear()
      .catch((error: unknown) => s.error(s.asRcError(error, 'Clearing the state failed')));
  }

  // ---- connecting ----

  #scheduleReconnect(immediate = false): void {
    const s = this.#s;
    if (s.closed || !this.#lease.holder) return;
    const delay = immediate ? 0 : backoffDelay(this.#attempt, s.o.reconnectDelayMs, s.o.maxReconnectDelayMs);
    s.timers.after(delay, () => {
      this.#connect().catch((error: unknown) => {
        this.#attempt += 1;
        s.error(s.asRcError(error, 'Reconnecting failed'));
        this.#scheduleReconnect();
      });
    });
  }

  /**
   * After a connection ended (lost, or renewed before its absoluteTimeout): one that lived a while
   * comes back at once; one that ended soon after it opened (a gateway refusing us, a flapping
   * network, a lifetime of 0) backs off further each time, so neither a reconnect loop nor a
   * gateway's lifetime can hammer the gateway or the Auth group.
   */
  #reconnectAfterEnd(): void {
    if (this.#s.now() - this.#s.connectedAt >= STABLE_MS) {
      this.#attempt = 0;
      this.#scheduleReconnect(true);
    } else {
      this.#attempt += 1;
      this.#scheduleReconnect();
    }
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#doConnect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #doConnect(): Promise<void> {
    const s = this.#s;
    if (s.closed || !this.#lease.holder || s.conn) return;
    // Whoever held the session last (this process before a restart, or another process) left its
    // state in the store: start from it. Without a store, memory is the only copy.
    const saved = (await this.#until(s.keeper.load())) ?? (s.state.wsc ? s.state : undefined);
    const recovering = saved?.wsc !== undefined && saved.subscriptionId !== undefined;
    const opened = await this.#connector.open(recovering ? saved?.wsc?.token : undefined);
    const { connection, details } = opened;
    if (s.closed || !this.#lease.holder) {
      connection.close();
      return;
    }
    const recovered = recovering && details.recoveryState === 'Successful';
    // Keep the filters of update() calls made meanwhile; take the rest from the saved state.
    const filters = s.state.eventFilters;
    if (saved) {
      s.state = { ...saved, eventFilters: filters };
      this.#delivery.restore(saved.recent);
    }
    // On a recovered session the wsc stays the one of the last delivered notification (missed
    // ones are about to be replayed); a new session starts from its ConnectionDetails' wsc.
    if (!recovered) s.state.wsc = opened.wsc;
    s.conn = connection;
    s.details = details;
    // Before the replayed notifications are handed over: 'recovered', then what was missed.
    if (recovered) s.emit('recovered', { subscriptionId: s.state.subscriptionId ?? '' });
    const heartbeat = Math.min(s.o.heartbeatIntervalMs, Math.max(50, (details.idleTimeout * 1000) / 2));
    connection.start(
      {
        frame: (frame) => this.#delivery.onFrame(connection, frame),
        lost: (reason) => this.#onLost(connection, reason),
      },
      Math.floor(heartbeat),
    );
    try {
      if (recovered) {
        if (saved?.eventFilters.join('\n') !== filters.join('\n')) await this.update(filters);
        else this.#renewal.resume(saved?.expiresAt);
      } else {
        const previousId = saved?.subscriptionId;
        const id = await this.#until(this.#renewal.create(connection, 'Subscribing failed'));
        if (previousId !== undefined && previousId !== id) {
          s.emit('resubscribed', { previousId, subscriptionId: id });
        }
      }
      await this.#until(s.persist());
    } catch (error) {
      if (s.conn === connection) s.conn = undefined;
      connection.close();
      throw error;
    }
    s.connectedAt = s.now();
    this.#renewal.scheduleConnection(details);
    s.emit('connected', { recovered });
  }

  #onLost(connection: Connection, reason: SubscriptionError): void {
    const s = this.#s;
    if (s.conn !== connection) return;
    s.conn = undefined;
    if (s.closed) return;
    s.error(reason);
    this.#reconnectAfterEnd();
  }
}
