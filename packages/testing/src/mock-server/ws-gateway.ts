/**
 * The WebSocket notification gateway, RingCentral-shaped: `POST /restapi/oauth/wstoken` issues a
 * short-lived `ws_access_token` and the socket URI; a connection to `/ws?access_token=...` opens a
 * WebSocket session whose first frame is `ConnectionDetails` (with the `wsc` recovery token);
 * subscriptions are REST calls sent over the socket (`ClientRequest`); `notify()` emits a
 * `ServerNotification` to every matching subscription. A dropped session can be recovered within
 * `recoveryTimeoutSec` by connecting with `&wsc=<token>`: the events the client missed are then
 * replayed from the session's buffer. Heartbeats are answered; an idle connection is closed after
 * `idleTimeoutSec`, any connection after `absoluteTimeoutSec`.
 *
 * Each `wsc` token the mock hands out names its session and the sequence number of the last
 * notification sent before it, so a recovery replays exactly what came after the last message the
 * client saw (RingCentral's tokens are opaque; clients keep the latest one, as they must there).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { MockContext } from './context.js';
import {
  accessTokenExpired,
  accessTokenNotFound,
  missingBearer,
  rateExceeded,
  restErrorBody,
} from './errors.js';
import { bearerToken, json, type MockRequest, type Reply } from './http.js';
import { matchesFilters, readFilters, resolveEvent } from './notifications/event-filters.js';
import type { GatewayOptions } from './notifications/ws-settings.js';
import { randomToken } from './secrets.js';
import type { MockWebSocketStats } from './types/notifications.js';

export const WSTOKEN_PATH = '/restapi/oauth/wstoken';
export const WS_PATH = '/ws';
const SUBSCRIPTION_PATH = /^\/restapi\/v1\.0\/subscription\/?([^/?]*)$/;

interface WsSubscription {
  id: string;
  eventFilters: string[];
  creationTime: number;
  expiresAt: number;
}

interface Buffered {
  seq: number;
  frame: string;
}

interface WsSession {
  secret: string;
  userId: string;
  accountId: string;
  seq: number;
  buffer: Buffered[];
  live: Live | undefined;
  /** Server-clock ms when the last connection went away (undefined while one is up). */
  disconnectedAt: number | undefined;
  subscriptions: Map<string, WsSubscription>;
}

interface Live {
  ws: WebSocket;
  session: WsSession;
  /** A "silent" drop: the connection stays open but the server neither reads nor writes. */
  silent: boolean;
  idle: NodeJS.Timeout | undefined;
  absolute: NodeJS.Timeout;
}

const frame = (meta: Record<string, unknown>, body?: unknown) => JSON.stringify([meta, body ?? null]);

export class WsGateway {
  readonly #ctx: MockContext;
  readonly #opts: GatewayOptions;
  readonly #stats: MockWebSocketStats;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tokens = new Map<string, { userId: string; expiresAt: number }>();
  readonly #sessions = new Map<string, WsSession>();
  readonly #live = new Set<Live>();
  #refusals = 0;

  constructor(ctx: MockContext, options: GatewayOptions, stats: MockWebSocketStats) {
    this.#ctx = ctx;
    this.#opts = options;
    this.#stats = stats;
  }

  /** Routes `/ws` upgrades on `server` to the gateway; any other upgrade is refused. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, url.searchParams));
    });
  }

  /** `POST /restapi/oauth/wstoken`: Bearer auth, Auth rate-limit group. */
  handleToken(req: MockRequest): Reply {
    const token = bearerToken(req);
    if (!token) return missingBearer();
    const found = this.#ctx.sessions.findByAccess(token);
    if ('missing' in found) return found.missing === 'expired' ? accessTokenExpired() : accessTokenNotFound();
    const limit = this.#ctx.limiter.check('Auth', found.session.userId);
    if (limit.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
    const wsToken = randomToken();
    this.#tokens.set(wsToken, {
      userId: found.session.userId,
      expiresAt: this.#ctx.now() + this.#opts.tokenTtlSec * 1000,
    });
    this.#stats.tokens++;
    const uri = `${this.#ctx.baseUrl().replace(/^http/, 'ws')}${WS_PATH}`;
    // Whole seconds on the wire, as the description types it; a fractional test TTL still expires on time.
    const expiresIn = Math.max(1, Math.round(this.#opts.tokenTtlSec));
    return json(200, { uri, ws_access_token: wsToken, expires_in: expiresIn }, limit.headers);
  }

  /** Emits a notification to every live subscription matching `event`; returns how many. */
  notify(event: string, body: unknown): number {
    if (typeof event !== 'string' || !event.startsWith('/')) {
      throw new Error(
        'notify: `event` must be an event path such as /restapi/v1.0/account/~/extension/~/message-store',
      );
    }
    this.#sweep();
    let count = 0;
    const now = this.#ctx.now();
    for (const session of this.#sessions.values()) {
      const concrete = resolveEvent(event, session);
      for (const sub of session.subscriptions.values()) {
        if (sub.expiresAt <= now) continue;
        if (!matchesFilters(concrete, sub.eventFilters, session)) continue;
        session.seq += 1;
        const seq = session.seq;
        const data = frame(this.#meta('ServerNotification', session), {
          uuid: randomUUID(),
          event: concrete,
          timestamp: new Date(now).toISOString(),
          subscriptionId: sub.id,
          ownerId: session.userId,
          body,
        });
        session.buffer.push({ seq, frame: data });
        if (session.buffer.length > this.#opts.recoveryBufferSize) session.buffer.shift();
        this.#send(session.live, data);
        this.#stats.notifications++;
        count++;
      }
    }
    return count;
  }

  /**
   * The REST subscription resource over the subscriptions `userId`'s sessions hold: the list
   * (`id` empty), read, update (PUT), renew and delete of one, as the socket's `ClientRequest`s
   * do. Creation stays on the socket (a WebSocket subscription belongs to its session).
   */
  rest(userId: string, method: string, id: string, renew: boolean, body: unknown): [number, unknown] {
    this.#sweep();
    const now = this.#ctx.now();
    const mine = [...this.#sessions.values()].filter((s) => s.userId === userId);
    if (id === '') {
      const records = mine.flatMap((s) => [...s.subscriptions.values()].filter((sub) => sub.expiresAt > now));
      return [
        200,
        {
          uri: `${this.#ctx.baseUrl()}/restapi/v1.0/subscription`,
          records: records.map((sub) => this.#info(sub, true)),
        },
      ];
    }
    const session = mine.find((s) => s.subscriptions.has(id));
    if (!session) return subscriptionNotFound();
    if (renew) {
      const sub = session.subscriptions.get(id);
      if (!sub || sub.expiresAt <= now) return subscriptionNotFound();
      sub.expiresAt = now + this.#opts.subscriptionTtlSec * 1000;
      return [200, this.#info(sub, true)];
    }
    const [status, reply] = this.#request(session, method, `/restapi/v1.0/subscription/${id}`, body);
    const sub = session.subscriptions.get(id);
    return status === 200 && sub ? [status, this.#info(sub, true)] : [status, reply];
  }

  /** Drops every open connection: abruptly, or `silent`ly (kept open, never answered again). */
  drop(options: { silent?: boolean } = {}): number {
    const lives = [...this.#live].filter((l) => !l.silent);
    for (const live of lives) {
      if (options.silent) {
        live.silent = true;
        this.#detach(live);
      } else {
        live.ws.terminate();
      }
    }
    return lives.length;
  }

  /** The next `times` recovery attempts fail (`recoveryState: 'Failed'`), as after a gateway restart. */
  refuseRecovery(times = 1): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error('refuseRecovery: times must be an integer >= 1');
    this.#refusals += times;
  }

  /** Connections currently open and answered (silently dropped ones excluded). */
  get openConnections(): number {
    return [...this.#live].filter((l) => !l.silent).length;
  }

  close(): void {
    for (const live of this.#live) {
      clearTimeout(live.idle);
      clearTimeout(live.absolute);
      live.ws.terminate();
    }
    this.#live.clear();
    this.#wss.close();
  }

  #open(ws: WebSocket, query: URLSearchParams): void {
    const token = query.get('access_token') ?? '';
    const issued = this.#tokens.get(token);
    if (!issued || issued.expiresAt <= this.#ctx.now()) {
      ws.send(
        frame(
          { type: 'Error', messageId: randomUUID(), status: 401 },
          restErrorBody('WSG-401', 'Invalid or expired ws_access_token'),
        ),
      );
      ws.close(1008, 'Unauthorized');
      return;
    }
    const user = this.#ctx.findUserById(issued.userId);
    this.#sweep();
    const wsc = query.get('wsc');
    let session: WsSession | undefined;
    let recoveryState: 'Successful' | 'Failed' | undefined;
    let replay: Buffered[] = [];
    if (wsc !== null) {
      const recovered = this.#recover(wsc, issued.userId);
      if (recovered) {
        ({ session, replay } = recovered);
        recoveryState = 'Successful';
        this.#stats.recoveries.successful++;
      } else {
        recoveryState = 'Failed';
        this.#stats.recoveries.failed++;
      }
    }
    if (!session) {
      session = {
        secret: randomToken(12),
        userId: issued.userId,
        accountId: user?.accountId ?? '1',
        seq: 0,
        buffer: [],
        live: undefined,
        disconnectedAt: undefined,
        subscriptions: new Map(),
      };
      this.#sessions.set(session.secret, session);
    }
    if (session.live) {
      // A recovery from another connection takes the session over (maxConnectionsPerSession: 1).
      const old = session.live;
      this.#detach(old);
      old.ws.close(1000, 'Session taken over');
    }
    const live: Live = {
      ws,
      session,
      silent: false,
      idle: undefined,
      absolute: setTimeout(() => ws.close(1000, 'Absolute timeout'), this.#opts.absoluteTimeoutSec * 1000),
    };
    this.#live.add(live);
    session.live = live;
    session.disconnectedAt = undefined;
    this.#stats.connections++;
    this.#stats.open++;
    this.#touch(live);
    ws.on('message', (data) => {
      if (live.silent || session.live !== live) return;
      this.#touch(live);
      this.#message(live, String(data));
    });
    ws.on('close', () => {
      clearTimeout(live.idle);
      clearTimeout(live.absolute);
      this.#live.delete(live);
      this.#stats.open--;
      if (!live.silent) this.#detach(live);
    });
    ws.on('error', () => {});
    const details: Record<string, unknown> = {
      creationTime: new Date(this.#ctx.now()).toISOString(),
      maxConnectionsPerSession: 1,
      recoveryBufferSize: this.#opts.recoveryBufferSize,
      recoveryTimeout: this.#opts.recoveryTimeoutSec,
      idleTimeout: this.#opts.idleTimeoutSec,
      absoluteTimeout: this.#opts.absoluteTimeoutSec,
      maxActiveRequests: 10,
    };
    if (recoveryState) details.recoveryState = recoveryState;
    if (recoveryState === 'Failed') details.recoveryErrorCode = 'WSG-132';
    ws.send(frame(this.#meta('ConnectionDetails', session), details));
    for (const missed of replay) ws.send(missed.frame);
  }

  /** The session and the frames to replay for a `wsc` token, when it can be recovered. */
  #recover(wsc: string, userId: string): { session: WsSession; replay: Buffered[] } | undefined {
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

  #detach(live: Live): void {
    clearTimeout(live.idle);
    if (live.session.live === live) {
      live.session.live = undefined;
      live.session.disconnectedAt = this.#ctx.now();
    }
  }

  /** Forgets sessions whose recovery window is over. */
  #sweep(): void {
    const now = this.#ctx.now();
    for (const [secret, s] of this.#sessions) {
      if (s.disconnectedAt !== undefined && now - s.disconnectedAt > this.#opts.recoveryTimeoutSec * 1000) {
        this.#sessions.delete(secret);
      }
    }
  }

  #touch(live: Live): void {
    clearTimeout(live.idle);
    live.idle = setTimeout(() => live.ws.close(1000, 'Idle timeout'), this.#opts.idleTimeoutSec * 1000);
  }

  #meta(type: string, session: WsSession, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type,
      messageId: randomUUID(),
      status: 200,
      headers: { RCRequestId: randomUUID() },
      ...extra,
      wsc: { token: `${session.secret}.${session.seq}`, sequence: session.seq },
    };
  }

  #send(live: Live | undefined, data: string): void {
    if (live && !live.silent && live.ws.readyState === live.ws.OPEN) live.ws.send(data);
  }

  #message(live: Live, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = undefined;
    }
    const [meta, body] = Array.isArray(parsed) ? (parsed as [unknown, unknown]) : [undefined, undefined];
    const m = (typeof meta === 'object' && meta !== null ? meta : {}) as Record<string, unknown>;
    const messageId = typeof m.messageId === 'string' ? m.messageId : randomUUID();
    if (m.type === 'Heartbeat') {
      this.#stats.heartbeats++;
      this.#send(live, frame(this.#meta('Heartbeat', live.session, { messageId })));
      return;
    }
    if (m.type !== 'ClientRequest') {
      this.#send(
        live,
        frame(
          { type: 'Error', messageId, status: 400 },
          restErrorBody('WSG-400', 'Frames must be [meta, body] with meta.type ClientRequest or Heartbeat'),
        ),
      );
      return;
    }
    const [status, reply] = this.#request(
      live.session,
      String(m.method ?? '').toUpperCase(),
      String(m.path ?? ''),
      body,
    );
    this.#send(live, frame(this.#meta('ClientRequest', live.session, { messageId, status }), reply));
  }

  /** A REST call over the socket: the subscription resource of this session. */
  #request(session: WsSession, method: string, path: string, body: unknown): [number, unknown] {
    const match = SUBSCRIPTION_PATH.exec(path);
    if (!match)
      return [
        404,
        restErrorBody('CMN-404', 'Resource not found (the mock serves only subscriptions over WebSocket)'),
      ];
    const id = match[1] ?? '';
    const now = this.#ctx.now();
    if (id === '') {
      if (method !== 'POST') return [405, restErrorBody('CMN-405', 'Method not allowed')];
      const filters = readFilters(body);
      if (!filters) return invalidParameter('eventFilters');
      const transport = (body as { deliveryMode?: { transportType?: unknown } }).deliveryMode?.transportType;
      if (transport !== 'WebSocket') {
        return invalidParameter('deliveryMode.transportType');
      }
      const sub: WsSubscription = {
        id: randomUUID(),
        eventFilters: filters,
        creationTime: now,
        expiresAt: now + this.#opts.subscriptionTtlSec * 1000,
      };
      session.subscriptions.set(sub.id, sub);
      this.#stats.subscriptions++;
      return [200, this.#info(sub)];
    }
    const sub = session.subscriptions.get(id);
    if (!sub || sub.expiresAt <= now) return subscriptionNotFound();
    if (method === 'GET') return [200, this.#info(sub)];
    if (method === 'DELETE') {
      session.subscriptions.delete(id);
      return [204, null];
    }
    if (method === 'PUT') {
      if (body !== null && typeof body === 'object' && 'eventFilters' in body) {
        const filters = readFilters(body);
        if (!filters) return invalidParameter('eventFilters');
        sub.eventFilters = filters;
      }
      sub.expiresAt = now + this.#opts.subscriptionTtlSec * 1000;
      return [200, this.#info(sub)];
    }
    return [405, restErrorBody('CMN-405', 'Method not allowed')];
  }

  /** `wholeSeconds`: `expiresIn` as the description types it (REST replies); the socket keeps fractions of fast tests. */
  #info(sub: WsSubscription, wholeSeconds = false) {
    const now = this.#ctx.now();
    const left = Math.max(0, sub.expiresAt - now) / 1000;
    return {
      uri: `${this.#ctx.baseUrl()}/restapi/v1.0/subscription/${sub.id}`,
      id: sub.id,
      creationTime: new Date(sub.creationTime).toISOString(),
      status: 'Active',
      eventFilters: [...sub.eventFilters],
      expirationTime: new Date(sub.expiresAt).toISOString(),
      // Whole seconds on RingCentral; fractions here only when the mock was given a fractional TTL.
      expiresIn: wholeSeconds ? Math.floor(left) : Math.round(left * 1000) / 1000,
      deliveryMode: { transportType: 'WebSocket', encryption: false },
    };
  }
}

const subscriptionNotFound = (): [number, unknown] => [
  404,
  restErrorBody('CMN-102', 'Resource for parameter [subscriptionId] is not found', {
    parameterName: 'subscriptionId',
  }),
];

const invalidParameter = (name: string): [number, unknown] => [
  400,
  restErrorBody('CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name }),
];
