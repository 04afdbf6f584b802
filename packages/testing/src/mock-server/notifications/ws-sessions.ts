/**
 * The WebSocket gateway's sessions: what outlives a connection. A session keeps its notifications'
 * sequence and a buffer of the latest ones, so a client that reconnects with its `wsc` token within
 * `recoveryTimeoutSec` gets exactly what it missed; after that window the session (and with it its
 * subscriptions, see `SubscriptionRecords`) is forgotten. Apart from the gateway because the
 * subscription store asks it whether a session still exists.
 *
 * Each `wsc` token the mock hands out names its session and the sequence number of the last
 * notification sent before it, so a recovery replays exactly what came after the last message the
 * client saw (RingCentral's tokens are opaque; clients keep the latest one, as they must there).
 */
import type { WebSocket } from 'ws';
import { randomToken } from '../secrets.js';
import type { GatewayOptions } from './ws-settings.js';

export interface Buffered {
  seq: number;
  frame: string;
}

export interface WsSession {
  secret: string;
  userId: string;
  accountId: string;
  seq: number;
  buffer: Buffered[];
  live: Live | undefined;
  /** Server-clock ms when the last connection went away (undefined while one is up). */
  disconnectedAt: number | undefined;
}

/** A connection serving a session. */
export interface Live {
  ws: WebSocket;
  session: WsSession;
  /** A "silent" drop: the connection stays open but the server neither reads nor writes. */
  silent: boolean;
  idle: NodeJS.Timeout | undefined;
  absolute: NodeJS.Timeout;
}

export class WsSessions {
  readonly #sessions = new Map<string, WsSession>();
  readonly #now: () => number;
  readonly #opts: GatewayOptions;
  #refusals = 0;

  constructor(now: () => number, options: GatewayOptions) {
    this.#now = now;
    this.#opts = options;
  }

  create(userId: string, accountId: string): WsSession {
    const session: WsSession = {
      secret: randomToken(12),
      userId,
      accountId,
      seq: 0,
      buffer: [],
      live: undefined,
      disconnectedAt: undefined,
    };
    this.#sessions.set(session.secret, session);
    return session;
  }

  has(secret: string): boolean {
    return this.#sessions.has(secret);
  }

  get(secret: string): WsSession | undefined {
    return this.#sessions.get(secret);
  }

  /** The session and the frames to replay for a `wsc` token, when it can be recovered. */
  recover(wsc: string, userId: string): { session: WsSession; replay: Buffered[] } | undefined {
    const dot = wsc.lastIndexOf('.');
    const session = this.#sessions.get(wsc.slice(0, dot));
    const seq = Number(wsc.slice(dot + 1));
    if (!session || dot < 0 || !Number.isInteger(seq) || session.userId !== userId) return undefined;
    if (this.#refusals > 0) {
      this.#refusals--;
      this.#sessions.delete(session.secret);
      return undefined;
    }
    // Everything after `seq` must still be in the buffer, or the client would silently miss events.
    const oldest = session.buffer[0]?.seq;
    if (oldest !== undefined && oldest > seq + 1) return undefined;
    return { session, replay: session.buffer.filter((b) => b.seq > seq) };
  }

  /** The next `times` recovery attempts fail (`recoveryState: 'Failed'`), as after a gateway restart. */
  refuseRecovery(times = 1): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error('refuseRecovery: times must be an integer >= 1');
    this.#refusals += times;
  }

  /** Numbers a notification frame and keeps it for recovery; `build` gets the session after the increment. */
  buffer(session: WsSession, build: () => string): string {
    session.seq += 1;
    const frame = build();
    session.buffer.push({ seq: session.seq, frame });
    if (session.buffer.length > this.#opts.recoveryBufferSize) session.buffer.shift();
    return frame;
  }

  /** Marks the session of `live` disconnected (recoverable from now on), if `live` still serves it. */
  detach(live: Live): void {
    clearTimeout(live.idle);
    if (live.session.live === live) {
      live.session.live = undefined;
      live.session.disconnectedAt = this.#now();
    }
  }

  /** Forgets sessions whose recovery window is over. */
  sweep(): void {
    const now = this.#now();
    for (const [secret, s] of this.#sessions) {
      if (s.disconnectedAt !== undefined && now - s.disconnectedAt > this.#opts.recoveryTimeoutSec * 1000) {
        this.#sessions.delete(secret);
      }
    }
  }
}
