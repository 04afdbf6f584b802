/**
 * The subscriptions the mock holds, both delivery modes in one store, as RingCentral keeps an
 * extension's subscriptions in one list. A record is a WebSocket subscription (bound to the gateway
 * session that created it: its notifications go there) or a WebHook one (an address, a verification
 * token, its blacklisting state). The resource writes records; the gateway and the WebHook deliverer
 * only read them. Expired records, and WebSocket ones whose session is forgotten, are swept before
 * every read, so no reader sees a subscription RingCentral would answer 404 for.
 */
import type { WsSessions } from './ws-sessions.js';

interface Common {
  id: string;
  userId: string;
  accountId: string;
  /** As given (`~` not resolved). */
  eventFilters: string[];
  creationTime: number;
  expiresAt: number;
  /** What a renewal gives, in seconds. */
  lifetimeSec: number;
}

export interface WebSocketSubscription extends Common {
  transportType: 'WebSocket';
  /** The secret of the gateway session that created it. */
  session: string;
}

export interface WebHookSubscription extends Common {
  transportType: 'WebHook';
  address: string;
  verificationToken: string | undefined;
  /** `Blacklisted` after too many failed deliveries in a row: nothing more is delivered. */
  status: 'Active' | 'Blacklisted';
  /** Failed deliveries in a row. */
  failures: number;
  blacklistedAt?: number;
}

export type Subscription = WebSocketSubscription | WebHookSubscription;
export type TransportType = Subscription['transportType'];

/**
 * Who asks: a user over HTTP sees every subscription of theirs; a gateway session over its socket
 * sees only its own (a WebSocket subscription belongs to the session that receives it, so another
 * session's socket cannot take it over).
 */
export interface Caller {
  userId: string;
  accountId: string;
  session?: string | undefined;
}

export class SubscriptionRecords {
  readonly #subs = new Map<string, Subscription>();
  readonly #now: () => number;
  readonly #sessions: WsSessions;

  constructor(now: () => number, sessions: WsSessions) {
    this.#now = now;
    this.#sessions = sessions;
  }

  add(sub: Subscription): void {
    this.#subs.set(sub.id, sub);
  }

  delete(id: string): void {
    this.#subs.delete(id);
  }

  /** The caller's live subscription `id`, if it has one. */
  find(caller: Caller, id: string): Subscription | undefined {
    this.#sweep();
    const sub = this.#subs.get(id);
    return sub && visible(sub, caller) ? sub : undefined;
  }

  /** The caller's live subscriptions, oldest first. */
  list(caller: Caller): Subscription[] {
    this.#sweep();
    return [...this.#subs.values()].filter((sub) => visible(sub, caller));
  }

  /** Every live subscription of one delivery mode, for its deliverer. */
  live<T extends TransportType>(type: T): Extract<Subscription, { transportType: T }>[] {
    this.#sweep();
    return [...this.#subs.values()].filter(
      (sub): sub is Extract<Subscription, { transportType: T }> => sub.transportType === type,
    );
  }

  /** Whether `sub` is still held and unexpired (a retry for a deleted one is dropped). */
  holds(sub: Subscription): boolean {
    return this.#subs.get(sub.id) === sub && sub.expiresAt > this.#now();
  }

  #sweep(): void {
    const now = this.#now();
    this.#sessions.sweep();
    for (const [id, sub] of this.#subs) {
      const orphan = sub.transportType === 'WebSocket' && !this.#sessions.has(sub.session);
      if (sub.expiresAt <= now || orphan) this.#subs.delete(id);
    }
  }
}

function visible(sub: Subscription, caller: Caller): boolean {
  if (sub.userId !== caller.userId) return false;
  if (caller.session === undefined) return true;
  return sub.transportType === 'WebSocket' && sub.session === caller.session;
}
