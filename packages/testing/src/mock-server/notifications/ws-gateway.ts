/**
 * The WebSocket notification gateway, RingCentral-shaped: `POST /restapi/oauth/wstoken` issues a
 * short-lived `ws_access_token` and the socket URI; a connection to `/ws?access_token=...` opens a
 * WebSocket session whose first frame is `ConnectionDetails` (with the `wsc` recovery token);
 * `ClientRequest` frames are REST calls to the subscription resource, made as the session;
 * `notify()` emits a `ServerNotification` to every matching WebSocket subscription. A dropped
 * session can be recovered within `recoveryTimeoutSec` by connecting with `&wsc=<token>` (see
 * ws-sessions.ts). Heartbeats are answered; an idle connection is closed after `idleTimeoutSec`,
 * any connection after `absoluteTimeoutSec`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { MockContext } from '../context.js';
import {
  accessTokenExpired,
  accessTokenNotFound,
  missingBearer,
  rateExceeded,
  restErrorBody,
} from '../errors.js';
import { bearerToken, json, type MockRequest, type Reply } from '../http.js';
import { randomToken } from '../secrets.js';
import type { MockWebSocketStats } from '../types/notifications.js';
import { matchesFilters, resolveEvent } from './event-filters.js';
import type { SubscriptionRecords } from './subscription-records.js';
import type { Outcome, SubscriptionResource } from './subscription-resource.js';
import { errorFrame, frame, meta, readClientFrame } from './ws-frames.js';
import type { Buffered, Live, WsSession, WsSessions } from './ws-sessions.js';
import type { GatewayOptions } from './ws-settings.js';

export const WSTOKEN_PATH = '/restapi/oauth/wstoken';
export const WS_PATH = '/ws';

/** What the gateway works with besides the server's context. */
export interface GatewayParts {
  options: GatewayOptions;
  stats: MockWebSocketStats;
  sessions: WsSessions;
  records: SubscriptionRecords;
  resource: SubscriptionResource;
}

export class WsGateway {
  readonly #ctx: MockContext;
  readonly #opts: GatewayOptions;
  readonly #stats: MockWebSocketStats;
  readonly #p: GatewayParts;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tokens = new Map<string, { userId: string; expiresAt: number }>();
  readonly #live = new Set<Live>();

  constructor(ctx: MockContext, parts: GatewayParts) {
    this.#ctx = ctx;
    this.#p = parts;
    this.#opts = parts.options;
    this.#stats = parts.stats;
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

  /** Emits a notification to every live WebSocket subscription matching `event`; returns how many. */
  notify(event: string, body: unknown): number {
    if (typeof event !== 'string' || !event.startsWith('/')) {
      throw new Error(
        'notify: `event` must be an event path such as /restapi/v1.0/account/~/extension/~/message-store',
      );
    }
    let count = 0;
    const timestamp = new Date(this.#ctx.now()).toISOString();
    for (const sub of this.#p.records.live('WebSocket')) {
      const session = this.#p.sessions.get(sub.session);
      if (!session) continue;
      const concrete = resolveEvent(event, session);
      if (!matchesFilters(concrete, sub.eventFilters, session)) continue;
      const data = this.#p.sessions.buffer(session, () =>
        frame(meta('ServerNotification', session), {
          uuid: randomUUID(),
          event: concrete,
          timestamp,
          subscriptionId: sub.id,
          ownerId: session.userId,
          body,
        }),
      );
      this.#send(session.live, data);
      this.#stats.notifications++;
      count++;
    }
    return count;
  }

  /** Drops every open connection: abruptly, or `silent`ly (kept open, never answered again). */
  drop(options: { silent?: boolean } = {}): number {
    const lives = [...this.#live].filter((l) => !l.silent);
    for (const live of lives) {
      if (options.silent) {
        live.silent = true;
        this.#p.sessions.detach(live);
      } else {
        live.ws.terminate();
      }
    }
    return lives.length;
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
      ws.send(errorFrame(randomUUID(), 401, 'WSG-401', 'Invalid or expired ws_access_token'));
      ws.close(1008, 'Unauthorized');
      return;
    }
    const sessions = this.#p.sessions;
    sessions.sweep();
    const wsc = query.get('wsc');
    let session: WsSession | undefined;
    let recoveryState: 'Successful' | 'Failed' | undefined;
    let replay: Buffered[] = [];
    if (wsc !== null) {
      const recovered = sessions.recover(wsc, issued.userId);
      recoveryState = recovered ? 'Successful' : 'Failed';
      if (recovered) ({ session, replay } = recovered);
      this.#stats.recoveries[recovered ? 'successful' : 'failed']++;
    }
    session ??= sessions.create(issued.userId, this.#ctx.findUserById(issued.userId)?.accountId ?? '1');
    if (session.live) {
      // A recovery from another connection takes the session over (maxConnectionsPerSession: 1).
      const old = session.live;
      sessions.detach(old);
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
      if (live.silent || live.session.live !== live) return;
      this.#touch(live);
      this.#message(live, String(data));
    });
    ws.on('close', () => {
      clearTimeout(live.idle);
      clearTimeout(live.absolute);
      this.#live.delete(live);
      this.#stats.open--;
      if (!live.silent) sessions.detach(live);
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
    ws.send(frame(meta('ConnectionDetails', session), details));
    for (const missed of replay) ws.send(missed.frame);
  }

  #touch(live: Live): void {
    clearTimeout(live.idle);
    live.idle = setTimeout(() => live.ws.close(1000, 'Idle timeout'), this.#opts.idleTimeoutSec * 1000);
  }

  #send(live: Live | undefined, data: string): void {
    if (live && !live.silent && live.ws.readyState === live.ws.OPEN) live.ws.send(data);
  }

  /** A heartbeat is answered; a `ClientRequest` is a call to the subscription resource as this session. */
  #message(live: Live, data: string): void {
    const { meta: m, body, messageId } = readClientFrame(data);
    const session = live.session;
    if (m.type === 'Heartbeat') {
      this.#stats.heartbeats++;
      this.#send(live, frame(meta('Heartbeat', session, { messageId })));
      return;
    }
    if (m.type !== 'ClientRequest') {
      const why = 'Frames must be [meta, body] with meta.type ClientRequest or Heartbeat';
      this.#send(live, errorFrame(messageId, 400, 'WSG-400', why));
      return;
    }
    const caller = { userId: session.userId, accountId: session.accountId, session: session.secret };
    const method = String(m.method ?? '').toUpperCase();
    const answer = this.#p.resource.request(caller, method, String(m.path ?? ''), body) ?? [
      404,
      restErrorBody('CMN-404', 'Resource not found (the mock serves only subscriptions over WebSocket)'),
    ];
    const reply = ([status, reply]: Outcome) =>
      this.#send(live, frame(meta('ClientRequest', session, { messageId, status }), reply));
    if (answer instanceof Promise) void answer.then(reply);
    else reply(answer);
  }
}
