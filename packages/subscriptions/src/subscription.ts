import {
  abortable,
  backoffDelay,
  isRcError,
  type RcClient,
  type RcError,
  supportsState,
  withDeadline,
} from '@rc/core';
import { Connection } from './connection.js';
import { Emitter, EVENT_NAMES } from './emitter.js';
import { SubscriptionError } from './errors.js';
import { MAX_TIMER_MS, renewalDelay } from './lifetime.js';
import { checkEventFilters, type ResolvedOptions } from './options.js';
import { KnownSecrets } from './secrets.js';
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

/** A refused ws token: an Error frame with status 401, or a close 4401. */
const isRefusedToken = (error: unknown) => error instanceof SubscriptionError && error.status === 401;

export class LiveSubscription implements Subscription {
  readonly #rc: RcClient;
  readonly #o: ResolvedOptions;
  readonly #key: string;
  readonly #owner = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  readonly #keeper: StateKeeper;
  readonly #lease: ((key: string, owner: string, ttl: number) => Promise<boolean>) | undefined;
  readonly #release: (() => Promise<void>) | undefined;
  readonly #events: Emitter;
  /** The tokens this subscription knows: the gateway's text is scrubbed of them. */
  readonly #secrets = new KnownSecrets();
  /** Aborted by close(): every wait of a connection attempt gives up at once. */
  readonly #stop = new AbortController();
  #stopping: Promise<void> | undefined;
  /** Renewals scheduled less than STABLE_MS apart, in a row: they back off (a lifetime of 0 must not storm). */
  #renewalStreak = 0;
  #lastRenewalAt = 0;
  /** After this process lost the lease: whether its successor can recover what it still holds. */
  #handover: Promise<boolean> | undefined;
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
      this.#error(
        new SubscriptionError('A notification listener threw', { cause: this.#secrets.cause(error) }),
      ),
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
          const stored = await this.#until(this.#keeper.load());
          if (stored) this.#state.subscriptionId = stored.subscriptionId;
        }
      } else {
        await this.#connect();
      }
      if (this.#closed) throw this.#stop.signal.reason; // aborted while connecting
    } catch (error) {
      this.#markReady();
      await this.#shutdown(false);
      if (signal?.aborted) throw new SubscriptionError('subscribe: the signal was aborted while connecting');
      throw error;
    }
    this.#timer(0, this.#markReady);
  }

  /** `work`, or a rejection as soon as the subscription is closed (the signal aborted). */
  #until<T>(work: Promise<T>): Promise<T> {
    return abortable(work, this.#stop.signal) as Promise<T>;
  }

  #asRcError(error: unknown, what: string): RcError {
    return isRcError(error) ? error : new SubscriptionError(what, { cause: this.#secrets.cause(error) });
  }

  async update(eventFilters: string[]): Promise<void> {
    const filters = checkEventFilters(eventFilters, 'update');
    if (this.#closed) throw new SubscriptionError('update(): the subscription is closed');
    this.#state.eventFilters = filters;
    const conn = this.#conn;
    const id = this.#state.subscriptionId;
    if (!conn || !id) return; // applied at the next (re)subscribe
    const reply = await conn.request('PUT', `${SUBSCRIPTION_PATH}/${id}`, subscriptionBody(filters));
    const info = parseSubscriptionInfo(
      reply.status,
      reply.body,
      'Updating the subscription failed',
      this.#secrets,
    );
    this.#scheduleRenewal(info.expiresInSec);
    await this.#persist();
  }

  async close(options: { unsubscribe?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    await this.#shutdown(options.unsubscribe ?? true);
  }

  /** Once, whoever asks first (close(), the signal, a failed start). */
  #shutdown(unsubscribe: boolean): Promise<void> {
    this.#stopping ??= this.#stopNow(unsubscribe);
    return this.#stopping;
  }

  async #stopNow(unsubscribe: boolean): Promise<void> {
    this.#closed = true;
    // Whatever is waiting (a wstoken request, a socket opening, the store) gives up now; and no
    // timer can be set from here on (#timer refuses), whatever reply arrives late.
    this.#stop.abort(new SubscriptionError('The subscription was closed'));
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
    // The state of what was delivered reaches the store before a successor may read it (bounded:
    // a store that stopped answering does not hold close() forever).
    await withDeadline(this.#keeper.settled(), this.#o.requestTimeoutMs, () => new Error('timeout')).catch(
      () => undefined,
    );
    const id = this.#state.subscriptionId;
    if (unsubscribe && this.#holder) {
      if (conn && id) {
        try {
          const reply = await conn.request('DELETE', `${SUBSCRIPTION_PATH}/${id}`);
          if (reply.status >= 300 && reply.status !== 404) {
            this.#error(
              requestError(reply.status, reply.body, 'Deleting the subscription failed', this.#secrets),
            );
          }
        } catch (error) {
          this.#error(this.#asRcError(error, 'Deleting the subscription failed'));
        }
      }
      await this.#keeper
        .clear()
        .catch((error: unknown) => this.#error(this.#asRcError(error, 'Clearing the state failed')));
    }
    conn?.close();
    if (this.#holder && this.#release) {
      await this.#release().catch((error: unknown) =>
        this.#error(this.#asRcError(error, 'Releasing the lease failed')),
      );
    }
    this.#holder = this.#lease === undefined;
    // After the events queued so far (an 'error' from the DELETE, say) have been emitted.
    await this.#ready;
    await Promise.resolve();
    this.#events.clear();
  }

  /**
   * Every timer of the subscription: none once it is closed (a late reply cannot leave one
   * behind), and none outside setTimeout's range (beyond it, a timer fires at once).
   */
  #timer(ms: number, fn: () => void): ReturnType<typeof setTimeout> | undefined {
    if (this.#closed) return undefined;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        fn();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, Math.floor(ms))),
    );
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
      const held = await this.#until(this.#lease(this.#key, this.#owner, ttl));
      if (this.#closed) return;
      if (held) {
        this.#leaseValidUntil = started + ttl;
        if (!this.#holder) {
          this.#holder = true;
          this.#handover = undefined;
          if (first) await this.#connect();
          else this.#scheduleReconnect(true);
        }
      } else if (this.#holder) {
        this.#stepDown();
      }
    } catch (error) {
      if (first) throw error;
      if (this.#closed) return;
      this.#error(this.#asRcError(error, 'Renewing the lease failed'));
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
        this.#error(this.#asRcError(error, 'Reconnecting failed'));
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
    const reply = await this.#until(
      this.#rc.post('restapi/oauth/wstoken', { signal: this.#stop.signal }).json(),
    );
    const value = parseWsToken(reply);
    this.#secrets.add(value.token);
    // The access token that asked for it (a gateway may echo it too): from memory, no request.
    this.#secrets.add((await this.#until(this.#rc.getToken()))?.accessToken);
    // Reused for reconnects until 80% of its life: wstoken is in the Auth group (about 5 a minute).
    this.#wsToken = { value, expiresAt: Date.now() + value.expiresInSec * 800 };
    return value;
  }

  /** Opens a connection with the (cached) ws token; a refused token is forgotten. */
  async #open(wsc: string | undefined): Promise<Awaited<ReturnType<typeof Connection.open>>> {
    const wsToken = await this.#wsTokenNow();
    this.#secrets.add(wsc);
    const { url, safe } = connectUrl(wsToken, wsc);
    try {
      return await Connection.open({
        WebSocket: this.#o.WebSocket,
        url,
        safeUrl: safe,
        connectTimeoutMs: this.#o.connectTimeoutMs,
        heartbeatIntervalMs: this.#o.heartbeatIntervalMs,
        heartbeatTimeoutMs: this.#o.heartbeatTimeoutMs,
        requestTimeoutMs: this.#o.requestTimeoutMs,
        secrets: this.#secrets,
        signal: this.#stop.signal,
      });
    } catch (error) {
      if (isRefusedToken(error) && this.#wsToken?.value === wsToken) this.#wsToken = undefined;
      throw error;
    }
  }

  async #doConnect(): Promise<void> {
    if (this.#closed || !this.#holder || this.#conn) return;
    // Whoever held the session last (this process before a restart, or another process) left its
    // state in the store: start from it. Without a store, memory is the only copy.
    const saved = (await this.#until(this.#keeper.load())) ?? (this.#state.wsc ? this.#state : undefined);
    const recovering = saved?.wsc !== undefined && saved.subscriptionId !== undefined;
    const wsc = recovering ? saved?.wsc?.token : undefined;
    // A refused ws token (a gateway that accepts each once, one expired early or revoked): a new
    // one at once, as RingCentral asks before reconnecting; refused again, the backoff applies.
    const opened = await this.#open(wsc).catch((error: unknown) => {
      if (isRefusedToken(error) && !this.#closed) return this.#open(wsc);
      throw error;
    });
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
        const reply = await this.#until(
          connection.request('POST', SUBSCRIPTION_PATH, subscriptionBody(filters)),
        );
        const info = parseSubscriptionInfo(reply.status, reply.body, 'Subscribing failed', this.#secrets);
        this.#state.subscriptionId = info.id;
        this.#scheduleRenewal(info.expiresInSec);
        if (previousId !== undefined && previousId !== info.id) {
          this.#emit('resubscribed', { previousId, subscriptionId: info.id });
        }
      }
      await this.#until(this.#persist());
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
    this.#reconnectAfterEnd();
  }

  /**
   * After a connection ended (lost, or renewed before its absoluteTimeout): one that lived a while
   * comes back at once; one that ended soon after it opened (a gateway refusing us, a flapping
   * network, a lifetime of 0) backs off further each time, so neither a reconnect loop nor a
   * gateway's lifetime can hammer the gateway or the Auth group.
   */
  #reconnectAfterEnd(): void {
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
    const connection = this.#conn;
    this.#slot('connection', renewalDelay(details.absoluteTimeout, this.#o.renewBeforeMs, 0), () => {
      if (this.#conn !== connection || this.#closed) return;
      this.#conn = undefined;
      connection?.close();
      this.#reconnectAfterEnd();
    });
  }

  /** Before the subscription expires: renew it (PUT); a gone subscription is created again. */
  #scheduleRenewal(expiresInSec: number | undefined): void {
    this.#state.expiresAt = expiresInSec === undefined ? null : Date.now() + expiresInSec * 1000;
    if (expiresInSec === undefined) {
      this.#slot('renewal'); // the gateway gave no lifetime: nothing to renew by
      return;
    }
    // Renewals that follow each other closely (a lifetime of 0 renewed into another) back off.
    const now = Date.now();
    this.#renewalStreak = now - this.#lastRenewalAt < STABLE_MS ? this.#renewalStreak + 1 : 0;
    this.#lastRenewalAt = now;
    const floor = backoffDelay(this.#renewalStreak, this.#o.reconnectDelayMs, this.#o.maxReconnectDelayMs);
    const connection = this.#conn;
    this.#slot('renewal', renewalDelay(expiresInSec, this.#o.renewBeforeMs, floor), () => {
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
        const info = parseSubscriptionInfo(post.status, post.body, 'Subscribing again failed', this.#secrets);
        this.#state.subscriptionId = info.id;
        this.#scheduleRenewal(info.expiresInSec);
        this.#emit('resubscribed', { previousId: id, subscriptionId: info.id });
      } else {
        this.#scheduleRenewal(
          parseSubscriptionInfo(put.status, put.body, 'Renewing the subscription failed', this.#secrets)
            .expiresInSec,
        );
      }
      await this.#persist();
    } catch (error) {
      this.#error(this.#asRcError(error, 'Renewing the subscription failed'));
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
    // Closed: left unrecorded, so whoever recovers the session next receives it (or it was deleted).
    if (this.#closed) return;
    if (this.#holder && this.#conn !== connection) return; // our own reconnection replays it
    // Never skipped otherwise (a holder that lost its store must not drop what it holds): a holder
    // whose lease may have lapsed still delivers (at least once), but records nothing in the store,
    // where a successor's state may be; one that stepped down delivers unless its successor can
    // recover it from the state it left.
    const leaseHeld = this.#holder && !(this.#lease && Date.now() >= this.#leaseValidUntil);
    if (!this.#holder && (await this.#handedOver())) return;
    this.#inListener = true;
    try {
      await this.#record(n, wsc, leaseHeld);
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
    const id = this.#state.subscriptionId;
    this.#handover ??= withDeadline(this.#keeper.load(), this.#o.leaseTtlMs, () => new Error('timeout')).then(
      (stored) => stored !== undefined && stored.wsc !== undefined && stored.subscriptionId === id,
      () => false,
    );
    return this.#handover;
  }

  async #record(n: Notification, wsc: Frame['wsc'], save: boolean): Promise<void> {
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
    if (!save || (this.#closed && this.#unsubscribed)) return;
    // Not awaited: the next notification does not wait on the store (a slow or dead store must not
    // hold deliveries back until the lease lapses). Writes stay in order, the latest one wins.
    void this.#persist().catch((error: unknown) =>
      this.#error(this.#asRcError(error, 'Saving the subscription state failed')),
    );
  }

  /** Saves the state for as long as the session could be recovered (plus a margin). */
  #persist(): Promise<void> {
    const recoveryMs = (this.#details?.recoveryTimeout ?? 180) * 1000;
    return this.#keeper.save(this.#state, Math.min(MAX_TIMER_MS, Math.ceil(recoveryMs + 60_000)));
  }
}
