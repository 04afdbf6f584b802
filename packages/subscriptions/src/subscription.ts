import { backoffDelay, isRcError, type RcClient, type RcError, safeCause, supportsState } from '@rc/core';
import { Connection } from './connection.js';
import { Emitter, EVENT_NAMES } from './emitter.js';
import { SubscriptionError } from './errors.js';
import { checkEventFilters, type ResolvedOptions } from './options.js';
import { RECENT_UUIDS, StateKeeper, type SubscriptionState } from './state.js';
import type { Notification, Subscription, SubscriptionEventName, SubscriptionEvents } from './types.js';
import {
  type ConnectionDetails,
  connectUrl,
  type Frame,
  parseSubscriptionInfo,
  parseWsToken,
  requestError,
  subscriptionBody,
  type WsToken,
} from './wire.js';

// The subscription: who holds the connection (the lease), connecting and recovering, delivering
// each notification once and in order, renewing before the gateway's limits, reconnecting with
// backoff. One instance per subscribe() call.

const SUBSCRIPTION_PATH = '/restapi/v1.0/subscription';
/** A connection that lived this long counts as stable: losing it resets the backoff. */
const STABLE_MS = 5_000;

/** FNV-1a: a short stable hash for the default key (not a security measure). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

const asRcError = (error: unknown, what: string): RcError =>
  isRcError(error) ? error : new SubscriptionError(what, { cause: safeCause(error) });

export class LiveSubscription implements Subscription {
  readonly #rc: RcClient;
  readonly #o: ResolvedOptions;
  readonly #key: string;
  readonly #owner = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  readonly #keeper: StateKeeper;
  readonly #lease: ((key: string, owner: string, ttl: number) => Promise<boolean>) | undefined;
  readonly #release: (() => Promise<void>) | undefined;
  readonly #events: Emitter;
  #state: SubscriptionState;
  #recent = new Set<string>();
  #conn: Connection | undefined;
  #details: ConnectionDetails | undefined;
  #wsToken: { value: WsToken; expiresAt: number } | undefined;
  #holder: boolean;
  #leaseValidUntil = Number.POSITIVE_INFINITY;
  #closed = false;
  #unsubscribed = false;
  #inListener = false;
  #attempt = 0;
  /** When the current connection was established (epoch ms). */
  #connectedAt = 0;
  #connecting: Promise<void> | undefined;
  // Events and notifications wait for `#ready`: one macrotask after subscribe() resolves, so that
  // listeners added right after `await subscribe()` see the first 'connected', a 'recovered' from a
  // restart, and the missed notifications replayed with it.
  #markReady!: () => void;
  readonly #ready = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });
  #delivering: Promise<void> = this.#ready;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #slots: Partial<Record<'renewal' | 'connection', ReturnType<typeof setTimeout> | undefined>> = {};
  readonly #onAbort = () => void this.close();

  constructor(rc: RcClient, options: ResolvedOptions) {
    this.#rc = rc;
    this.#o = options;
    this.#key =
      options.key ?? `subscription:${rc.sessionKey}:${hash([...options.eventFilters].sort().join('\n'))}`;
    const store = supportsState(rc.store) ? rc.store : undefined;
    this.#keeper = new StateKeeper(store, this.#key);
    if (store && options.failover) {
      this.#lease = (key, owner, ttl) => store.acquireLease(key, owner, ttl);
      this.#release = () => store.releaseLease(this.#key, this.#owner);
    }
    this.#holder = this.#lease === undefined;
    this.#state = {
      wsc: undefined,
      subscriptionId: undefined,
      eventFilters: options.eventFilters,
      recent: [],
    };
    this.#events = new Emitter((error) =>
      this.#error(new SubscriptionError('A notification listener threw', { cause: safeCause(error) })),
    );
    if (options.onNotification) this.#events.on('notification', options.onNotification);
  }

  get id() {
    return this.#state.subscriptionId;
  }
  get eventFilters() {
    return [...this.#state.eventFilters];
  }
  get holder() {
    return this.#holder;
  }

  on<E extends SubscriptionEventName>(event: E, listener: SubscriptionEvents[E]): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new SubscriptionError(`on(): unknown event "${String(event)}" (${EVENT_NAMES.join(', ')})`);
    }
    return this.#events.on(event, listener);
  }

  /** Connects (or, with failover, tries to take the lease); rejects when the first attempt fails. */
  async start(): Promise<void> {
    const { signal } = this.#o;
    if (signal?.aborted) throw new SubscriptionError('subscribe: the signal was already aborted');
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    try {
      if (this.#lease) {
        await this.#leaseTick(true);
        if (!this.#holder) {
          const stored = await this.#keeper.load();
          if (stored) this.#state.subscriptionId = stored.subscriptionId;
        }
      } else {
        await this.#connect();
      }
    } catch (error) {
      this.#markReady();
      await this.#shutdown(false);
      throw error;
    }
    this.#timer(0, this.#markReady);
  }

  async update(eventFilters: string[]): Promise<void> {
    const filters = checkEventFilters(eventFilters, 'update');
    if (this.#closed) throw new SubscriptionError('update(): the subscription is closed');
    this.#state.eventFilters = filters;
    const conn = this.#conn;
    const id = this.#state.subscriptionId;
    if (!conn || !id) return; // applied at the next (re)subscribe
    const reply = await conn.request('PUT', `${SUBSCRIPTION_PATH}/${id}`, subscriptionBody(filters));
    const info = parseSubscriptionInfo(reply.status, reply.body, 'Updating the subscription failed');
    this.#scheduleRenewal(info.expiresInSec);
    await this.#persist();
  }

  async close(options: { unsubscribe?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    await this.#shutdown(options.unsubscribe ?? true);
  }

  async #shutdown(unsubscribe: boolean): Promise<void> {
    this.#closed = true;
    this.#o.signal?.removeEventListener('abort', this.#onAbort);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#markReady(); // its timer was just cleared
    this.#unsubscribed = unsubscribe;
    const conn = this.#conn;
    this.#conn = undefined;
    // Let the queue drain (queued notifications return at once now: closed, so not recorded, and
    // whoever recovers the session receives them). A listener running now is not waited for:
    // close() may have been called from it, which would wait for itself; it records its
    // notification when it finishes (unless the state was deleted).
    if (!this.#inListener) await this.#delivering;
    const id = this.#state.subscriptionId;
    if (unsubscribe && this.#holder) {
      if (conn && id) {
        try {
          const reply = await conn.request('DELETE', `${SUBSCRIPTION_PATH}/${id}`);
          if (reply.status >= 300 && reply.status !== 404) {
            this.#error(requestError(reply.status, reply.body, 'Deleting the subscription failed'));
          }
        } catch (error) {
          this.#error(asRcError(error, 'Deleting the subscription failed'));
        }
      }
      await this.#keeper
        .clear()
        .catch((error: unknown) => this.#error(asRcError(error, 'Clearing the state failed')));
    }
    conn?.close();
    if (this.#holder && this.#release) {
      await this.#release().catch((error: unknown) =>
        this.#error(asRcError(error, 'Releasing the lease failed')),
      );
    }
    this.#holder = this.#lease === undefined;
    // After the events queued so far (an 'error' from the DELETE, say) have been emitted.
    await this.#ready;
    await Promise.resolve();
    this.#events.clear();
  }

  #timer(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  /**
   * Replaces the pending timer of a kind (one renewal, one connection renewal), so none pile up
   * across reconnects; without `fn`, only cancels it.
   */
  #slot(kind: 'renewal' | 'connection', ms = 0, fn?: () => void): void {
    const previous = this.#slots[kind];
    if (previous !== undefined) {
      clearTimeout(previous);
      this.#timers.delete(previous);
    }
    this.#slots[kind] = fn && this.#timer(ms, fn);
  }

  #error(error: RcError): void {
    this.#emit('error', error);
  }

  #emit<E extends SubscriptionEventName>(event: E, ...args: Parameters<SubscriptionEvents[E]>): void {
    void this.#ready.then(() => this.#events.emit(event, ...args));
  }

  // ---- the lease (failover among processes sharing the store) ----

  /** Takes or renews the lease; becomes holder or steps down accordingly. `first`: errors throw. */
  async #leaseTick(first = false): Promise<void> {
    if (this.#closed || !this.#lease) return;
    const started = Date.now();
    const ttl = this.#o.leaseTtlMs;
    try {
      const held = await this.#lease(this.#key, this.#owner, ttl);
      if (this.#closed) return;
      if (held) {
        this.#leaseValidUntil = started + ttl;
        if (!this.#holder) {
          this.#holder = true;
          if (first) await this.#connect();
          else this.#scheduleReconnect(true);
        }
      } else if (this.#holder) {
        this.#stepDown();
      }
    } catch (error) {
      if (first) throw error;
      this.#error(asRcError(error, 'Renewing the lease failed'));
      if (this.#holder && Date.now() >= this.#leaseValidUntil) this.#stepDown();
    } finally {
      // Holders renew every third of the TTL; others knock a little more often (jittered), so a
      // dead holder is replaced within about one TTL.
      const every = this.#holder ? ttl / 3 : (ttl / 4) * (0.75 + Math.random() / 2);
      if (!this.#closed) this.#timer(Math.max(10, Math.floor(every)), () => void this.#leaseTick());
    }
  }

  /** Another process holds the lease: drop the connection (the session stays recoverable for it). */
  #stepDown(): void {
    this.#holder = false;
    this.#conn?.close();
    this.#conn = undefined;
  }

  // ---- connecting ----

  #scheduleReconnect(immediate = false): void {
    if (this.#closed || !this.#holder) return;
    const delay = immediate
      ? 0
      : backoffDelay(this.#attempt, this.#o.reconnectDelayMs, this.#o.maxReconnectDelayMs);
    this.#timer(delay, () => {
      this.#connect().catch((error: unknown) => {
        this.#attempt += 1;
        this.#error(asRcError(error, 'Reconnecting failed'));
        this.#scheduleReconnect();
      });
    });
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#doConnect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #wsTokenNow(): Promise<WsToken> {
    const cached = this.#wsToken;
    if (cached && Date.now() < cached.expiresAt) return cached.value;
    // Through the client: the token manager (refresh, 401 retry) and the Auth group's rate limit apply.
    const value = parseWsToken(await this.#rc.post('restapi/oauth/wstoken').json());
    // Reused for reconnects until 80% of its life: wstoken is in the Auth group (about 5 a minute).
    this.#wsToken = { value, expiresAt: Date.now() + value.expiresInSec * 800 };
    return value;
  }

  async #doConnect(): Promise<void> {
    if (this.#closed || !this.#holder || this.#conn) return;
    // Whoever held the session last (this process before a restart, or another process) left its
    // state in the store: start from it. Without a store, memory is the only copy.
    const saved = (await this.#keeper.load()) ?? (this.#state.wsc ? this.#state : undefined);
    const recovering = saved?.wsc !== undefined && saved.subscriptionId !== undefined;
    const wsToken = await this.#wsTokenNow();
    const { url, safe } = connectUrl(wsToken, recovering ? saved?.wsc?.token : undefined);
    let opened: Awaited<ReturnType<typeof Connection.open>>;
    try {
      opened = await Connection.open({
        WebSocket: this.#o.WebSocket,
        url,
        safeUrl: safe,
        connectTimeoutMs: this.#o.connectTimeoutMs,
        heartbeatIntervalMs: this.#o.heartbeatIntervalMs,
        heartbeatTimeoutMs: this.#o.heartbeatTimeoutMs,
        requestTimeoutMs: this.#o.requestTimeoutMs,
      });
    } catch (error) {
      // A refused ws token (expired early, revoked): the next attempt asks for a new one.
      if (error instanceof SubscriptionError && error.status === 401) this.#wsToken = undefined;
      throw error;
    }
    const { connection, details } = opened;
    if (this.#closed || !this.#holder) {
      connection.close();
      return;
    }
    const recovered = recovering && details.recoveryState === 'Successful';
    // Keep the filters of update() calls made meanwhile; take the rest from the saved state.
    const filters = this.#state.eventFilters;
    if (saved) {
      this.#state = { ...saved, eventFilters: filters };
      this.#recent = new Set(saved.recent);
    }
    // On a recovered session the wsc stays the one of the last delivered notification (missed
    // ones are about to be replayed); a new session starts from its ConnectionDetails' wsc.
    if (!recovered) this.#state.wsc = opened.wsc;
    this.#conn = connection;
    this.#details = details;
    // Before the replayed notifications are handed over: 'recovered', then what was missed.
    if (recovered) this.#emit('recovered', { subscriptionId: this.#state.subscriptionId ?? '' });
    const heartbeat = Math.min(this.#o.heartbeatIntervalMs, Math.max(50, (details.idleTimeout * 1000) / 2));
    connection.start(
      {
        frame: (frame) => this.#onFrame(connection, frame),
        lost: (reason) => this.#onLost(connection, reason),
      },
      Math.floor(heartbeat),
    );
    try {
      if (recovered) {
        if (saved?.eventFilters.join('\n') !== filters.join('\n')) await this.update(filters);
        // The renewal timer belonged to the lost connection (or to another process): this one
        // renews at the stored expiry; state without one (an older version's) renews now.
        else
          this.#scheduleRenewal(
            saved?.expiresAt === null
              ? undefined
              : Math.max(0, ((saved?.expiresAt ?? 0) - Date.now()) / 1000),
          );
      } else {
        const previousId = saved?.subscriptionId;
        const reply = await connection.request('POST', SUBSCRIPTION_PATH, subscriptionBody(filters));
        const info = parseSubscriptionInfo(reply.status, reply.body, 'Subscribing failed');
        this.#state.subscriptionId = info.id;
        this.#scheduleRenewal(info.expiresInSec);
        if (previousId !== undefined && previousId !== info.id) {
          this.#emit('resubscribed', { previousId, subscriptionId: info.id });
        }
      }
      await this.#persist();
    } catch (error) {
      if (this.#conn === connection) this.#conn = undefined;
      connection.close();
      throw error;
    }
    this.#connectedAt = Date.now();
    this.#scheduleConnectionRenewal(details);
    this.#emit('connected', { recovered });
  }

  #onLost(connection: Connection, reason: SubscriptionError): void {
    if (this.#conn !== connection) return;
    this.#conn = undefined;
    if (this.#closed) return;
    this.#error(reason);
    // A connection that lived a while: come back at once. One that died soon after it opened
    // (a gateway refusing us, a flapping network) backs off further each time, so a reconnect loop
    // can never hammer the gateway or the Auth group.
    if (Date.now() - this.#connectedAt >= STABLE_MS) {
      this.#attempt = 0;
      this.#scheduleReconnect(true);
    } else {
      this.#attempt += 1;
      this.#scheduleReconnect();
    }
  }

  /** Before the gateway's absoluteTimeout ends the connection: reconnect now, recovering the session. */
  #scheduleConnectionRenewal(details: ConnectionDetails): void {
    const life = details.absoluteTimeout * 1000;
    const at = life - Math.min(this.#o.renewBeforeMs, life / 2);
    const connection = this.#conn;
    this.#slot('connection', Math.max(0, Math.floor(at)), () => {
      if (this.#conn !== connection || this.#closed) return;
      this.#conn = undefined;
      connection?.close();
      this.#scheduleReconnect(true);
    });
  }

  /** Before the subscription expires: renew it (PUT); a gone subscription is created again. */
  #scheduleRenewal(expiresInSec: number | undefined): void {
    this.#state.expiresAt = expiresInSec === undefined ? null : Date.now() + expiresInSec * 1000;
    if (expiresInSec === undefined) {
      this.#slot('renewal'); // the gateway gave no lifetime: nothing to renew by
      return;
    }
    const life = expiresInSec * 1000;
    const connection = this.#conn;
    this.#slot('renewal', Math.max(0, Math.floor(life - Math.min(this.#o.renewBeforeMs, life / 2))), () => {
      if (this.#conn !== connection || this.#closed || !connection) return;
      void this.#renew(connection);
    });
  }

  async #renew(connection: Connection): Promise<void> {
    const id = this.#state.subscriptionId;
    try {
      const put = await connection.request(
        'PUT',
        `${SUBSCRIPTION_PATH}/${id}`,
        subscriptionBody(this.#state.eventFilters),
      );
      if (put.status === 404 && id) {
        const post = await connection.request(
          'POST',
          SUBSCRIPTION_PATH,
          subscriptionBody(this.#state.eventFilters),
        );
        const info = parseSubscriptionInfo(post.status, post.body, 'Subscribing again failed');
        this.#state.subscriptionId = info.id;
        this.#scheduleRenewal(info.expiresInSec);
        this.#emit('resubscribed', { previousId: id, subscriptionId: info.id });
      } else {
        this.#scheduleRenewal(
          parseSubscriptionInfo(put.status, put.body, 'Renewing the subscription failed').expiresInSec,
        );
      }
      await this.#persist();
    } catch (error) {
      this.#error(asRcError(error, 'Renewing the subscription failed'));
      // The connection is suspect: start over (recovering the session).
      if (this.#conn === connection) {
        this.#conn = undefined;
        connection.close();
        this.#scheduleReconnect();
      }
    }
  }

  // ---- delivery ----

  #onFrame(connection: Connection, frame: Frame): void {
    if (frame.type === 'Error') {
      this.#error(frame.error);
      return;
    }
    if (frame.type !== 'ServerNotification') return;
    const { notification, wsc } = frame;
    // Queued: listeners see one notification at a time, in order, even when they are async.
    this.#delivering = this.#delivering.then(() => this.#deliver(connection, notification, wsc));
  }

  async #deliver(connection: Connection, n: Notification, wsc: Frame['wsc']): Promise<void> {
    // Not ours to deliver any more (closed, stepped down, lease possibly lost): leave it unrecorded,
    // so whoever recovers the session next receives it.
    if (this.#closed || !this.#holder || this.#conn !== connection) return;
    if (this.#lease && Date.now() >= this.#leaseValidUntil) return;
    this.#inListener = true;
    try {
      await this.#record(n, wsc);
    } finally {
      this.#inListener = false;
    }
  }

  async #record(n: Notification, wsc: Frame['wsc']): Promise<void> {
    if (!this.#recent.has(n.uuid)) {
      this.#recent.add(n.uuid);
      this.#state.recent.push(n.uuid);
      if (this.#state.recent.length > RECENT_UUIDS * 2)
        this.#state.recent = this.#state.recent.slice(-RECENT_UUIDS);
      if (this.#recent.size > RECENT_UUIDS * 2) this.#recent = new Set(this.#state.recent);
      await this.#events.emit('notification', n);
    }
    if (wsc) this.#state.wsc = wsc;
    // Closed by a listener with unsubscribe: the state was (or is being) deleted; do not revive it.
    if (this.#closed && this.#unsubscribed) return;
    await this.#persist().catch((error: unknown) =>
      this.#error(asRcError(error, 'Saving the subscription state failed')),
    );
  }

  /** Saves the state for as long as the session could be recovered (plus a margin). */
  #persist(): Promise<void> {
    const recoveryMs = (this.#details?.recoveryTimeout ?? 180) * 1000;
    return this.#keeper.save(this.#state, Math.ceil(recoveryMs + 60_000));
  }
}
