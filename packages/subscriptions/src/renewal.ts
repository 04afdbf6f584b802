import { backoffDelay } from '@rc/core/kit';
import type { Connection } from './connection.js';
import { renewalDelay } from './lifetime.js';
import type { Shared } from './shared.js';
import { type ConnectionDetails, parseSubscriptionInfo, subscriptionBody } from './wire.js';

// Keeping within the gateway's limits: the subscription is renewed (PUT) before it expires, and
// made again (POST) when it is gone; the connection is replaced (reconnecting, recovering the
// session) before its absoluteTimeout. The lifetimes are the gateway's word (lifetime.ts bounds
// them), and renewals that follow each other closely back off, so none can storm.

export const SUBSCRIPTION_PATH = '/restapi/v1.0/subscription';
/** A connection or a renewal this far apart counts as calm: the backoff starts over. */
export const STABLE_MS = 5_000;

export interface RenewalHandlers {
  /** The connection failed a renewal: start over (with backoff). */
  retry(): void;
  /** The connection reached its renewal time: reconnect (with backoff if it lived briefly). */
  ended(): void;
}

export class Renewal {
  readonly #s: Shared;
  readonly #handlers: RenewalHandlers;
  /** Renewals scheduled less than STABLE_MS apart, in a row. */
  #streak = 0;
  #lastAt = 0;

  constructor(shared: Shared, handlers: RenewalHandlers) {
    this.#s = shared;
    this.#handlers = handlers;
  }

  /** Before the subscription expires (in `expiresInSec`; undefined: it does not), renew it. */
  schedule(expiresInSec: number | undefined): void {
    const s = this.#s;
    const now = s.now();
    s.state.expiresAt = expiresInSec === undefined ? null : now + expiresInSec * 1000;
    if (expiresInSec === undefined) {
      s.timers.slot('renewal'); // the gateway gave no lifetime: nothing to renew by
      return;
    }
    this.#streak = now - this.#lastAt < STABLE_MS ? this.#streak + 1 : 0;
    this.#lastAt = now;
    const floor = backoffDelay(this.#streak, s.o.reconnectDelayMs, s.o.maxReconnectDelayMs);
    const connection = s.conn;
    s.timers.slot('renewal', renewalDelay(expiresInSec, s.o.renewBeforeMs, floor), () => {
      if (s.conn !== connection || s.closed || !connection) return;
      void this.#renew(connection);
    });
  }

  /** Renews at the saved expiry (a recovered session: its renewal timer was the lost connection's). */
  resume(expiresAt: number | null | undefined): void {
    // State without an expiry (an older version's) renews now.
    this.schedule(expiresAt === null ? undefined : Math.max(0, ((expiresAt ?? 0) - this.#s.now()) / 1000));
  }

  /** Before the gateway's absoluteTimeout ends the connection: reconnect, recovering the session. */
  scheduleConnection(details: ConnectionDetails): void {
    const s = this.#s;
    const connection = s.conn;
    s.timers.slot('connection', renewalDelay(details.absoluteTimeout, s.o.renewBeforeMs, 0), () => {
      if (s.conn !== connection || s.closed) return;
      s.conn = undefined;
      connection?.close();
      this.#handlers.ended();
    });
  }

  /** PUTs the event filters (renewing the subscription); resolves with the new lifetime. */
  async update(connection: Connection, filters: string[], what: string): Promise<void> {
    const reply = await connection.request(
      'PUT',
      `${SUBSCRIPTION_PATH}/${this.#s.state.subscriptionId}`,
      subscriptionBody(filters),
    );
    this.schedule(parseSubscriptionInfo(reply.status, reply.body, what, this.#s.secrets).expiresInSec);
  }

  /** POSTs a new subscription; returns its id (the state holds it too). */
  async create(connection: Connection, what: string): Promise<string> {
    const s = this.#s;
    const reply = await connection.request('POST', SUBSCRIPTION_PATH, subscriptionBody(s.state.eventFilters));
    const info = parseSubscriptionInfo(reply.status, reply.body, what, s.secrets);
    s.state.subscriptionId = info.id;
    this.schedule(info.expiresInSec);
    return info.id;
  }

  async #renew(connection: Connection): Promise<void> {
    const s = this.#s;
    const id = s.state.subscriptionId;
    try {
      try {
        await this.update(connection, s.state.eventFilters, 'Renewing the subscription failed');
      } catch (error) {
        // Gone (expired while we were away, say): made again.
        if (!id || (error as { status?: unknown }).status !== 404) throw error;
        const created = await this.create(connection, 'Subscribing again failed');
        s.emit('resubscribed', { previousId: id, subscriptionId: created });
      }
      await s.persist();
    } catch (error) {
      s.error(s.asRcError(error, 'Renewing the subscription failed'));
      // The connection is suspect: start over (recovering the session).
      if (s.conn === connection) {
        s.conn = undefined;
        connection.close();
        this.#handlers.retry();
      }
    }
  }
}
