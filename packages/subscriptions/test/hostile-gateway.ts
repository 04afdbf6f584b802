import type { AddressInfo } from 'node:net';
import { createClient, type RcClient, type TokenStore } from '@rc/core';
import { type WebSocket, WebSocketServer } from 'ws';
import { sleep } from './helpers.js';

// A scripted WebSocket gateway on loopback for the faults the mock does not model: lifetimes of 0,
// negative or ten years, errors and close reasons that quote the tokens, ws tokens accepted once,
// replies that never come. It speaks the gateway's frames; the client reaches it through a `fetch`
// that answers `POST /restapi/oauth/wstoken` itself (every other request gets a 404).

export interface Script {
  /** The ConnectionDetails body (merged over sane defaults): `absoluteTimeout: 0`, say. */
  details?: Record<string, unknown>;
  /** The `expiresIn` of every subscription reply (a number, or anything hostile). */
  expiresIn?: unknown;
  /** Each ws token opens one connection; a reused one is refused with close 4401 and no frame. */
  singleUse?: boolean;
  /** Refuses every connection: an Error frame and/or a close with this code and reason. */
  refuse?: {
    frame?: { status: number; body: unknown };
    close?: { code: number; reason: string };
    /** Only this many times (then connections are accepted again). @default Infinity */
    times?: number;
  };
  /** Answers subscription requests (POST, PUT) with this status and body instead. */
  subscribeReply?: { status: number; body: unknown };
  /** Never sends ConnectionDetails. */
  silentOnOpen?: boolean;
  /** Delays every reply to a request by this many ms (Infinity: never replies). */
  replyDelayMs?: number;
}

export interface HostileGateway {
  readonly url: string;
  readonly stats: {
    wstokens: number;
    connections: number;
    posts: number;
    puts: number;
    refused: number;
    /** When the last connection was refused, and accepted (epoch ms). */
    refusedAt: number;
    connectedAt: number;
  };
  /** The open sockets (server side). */
  readonly sockets: Set<WebSocket>;
  script: Script;
  /** A client whose wstoken requests are answered by this gateway, with `accessToken` set. */
  client(options?: { accessToken?: string; tokenTtlSec?: number; store?: TokenStore }): Promise<RcClient>;
  /** The ws tokens handed out, in order. */
  readonly tokens: string[];
  /** Sends a frame to every open socket. */
  broadcast(meta: Record<string, unknown>, body: unknown): void;
  close(): Promise<void>;
}

export async function startHostileGateway(script: Script = {}): Promise<HostileGateway> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
  const stats = { wstokens: 0, connections: 0, posts: 0, puts: 0, refused: 0, refusedAt: 0, connectedAt: 0 };
  const tokens: string[] = [];
  const used = new Set<string>();
  const sockets = new Set<WebSocket>();
  const seq = 0;
  const send = (ws: WebSocket, meta: Record<string, unknown>, body: unknown) => {
    if (ws.readyState === ws.OPEN)
      ws.send(JSON.stringify([{ ...meta, wsc: { token: 'wsc-s1', sequence: seq } }, body]));
  };
  const gateway: HostileGateway = {
    url,
    stats,
    sockets,
    script,
    tokens,
    async client({ accessToken = 'AT-default-0001', tokenTtlSec = 300, store } = {}) {
      const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (!new URL(request.url).pathname.endsWith('/restapi/oauth/wstoken'))
          return new Response('{}', { status: 404 });
        stats.wstokens++;
        const token = `WS+tok/${stats.wstokens}=x`;
        tokens.push(token);
        return Response.json({ uri: url, ws_access_token: token, expires_in: tokenTtlSec });
      };
      const rc = createClient({
        server: 'http://127.0.0.1:9',
        clientId: 'cid',
        fetch,
        retry: 0,
        ...(store ? { store } : {}),
      });
      await rc.setToken({ access_token: accessToken, token_type: 'bearer', expires_in: 3600 });
      return rc;
    },
    broadcast(meta, body) {
      for (const ws of sockets) send(ws, meta, body);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (ws, req) => {
    const s = gateway.script;
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') ?? '';
    ws.on('error', () => {});
    const refuse = s.refuse && (s.refuse.times === undefined || s.refuse.times-- > 0);
    if (refuse || (s.singleUse && used.has(token))) {
      stats.refused++;
      stats.refusedAt = Date.now();
      const refusal = (refuse && s.refuse) || { close: { code: 4401, reason: 'Unauthorized' } };
      if (refusal.frame) send(ws, { type: 'Error', status: refusal.frame.status }, refusal.frame.body);
      if (refusal.close) ws.close(refusal.close.code, refusal.close.reason);
      else ws.close(1008);
      return;
    }
    used.add(token);
    stats.connections++;
    stats.connectedAt = Date.now();
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      const [meta, body] = JSON.parse(String(data)) as [Record<string, unknown>, unknown];
      if (meta.type === 'Heartbeat') return send(ws, { type: 'Heartbeat', messageId: meta.messageId }, null);
      const { method } = meta;
      if (method === 'POST') stats.posts++;
      if (method === 'PUT') stats.puts++;
      const delay = gateway.script.replyDelayMs ?? 0;
      if (delay === Number.POSITIVE_INFINITY) return;
      if (delay > 0) await sleep(delay);
      const reply = gateway.script.subscribeReply ?? {
        status: method === 'DELETE' ? 204 : 200,
        body: {
          id: 'sub-1',
          eventFilters: (body as { eventFilters?: unknown } | null)?.eventFilters ?? [],
          expiresIn: 'expiresIn' in gateway.script ? gateway.script.expiresIn : 900,
        },
      };
      send(ws, { type: 'ClientRequest', messageId: meta.messageId, status: reply.status }, reply.body);
    });
    if (s.silentOnOpen) return;
    send(
      ws,
      { type: 'ConnectionDetails', messageId: 'cd' },
      { recoveryTimeout: 180, idleTimeout: 60, absoluteTimeout: 86_400, ...s.details },
    );
  });
  return gateway;
}

/** Notifies every open socket (a ServerNotification with body `{ n }`). */
export function notifyAll(gateway: HostileGateway, n: number): void {
  gateway.broadcast(
    { type: 'ServerNotification', messageId: `m${n}` },
    { uuid: `uuid-${n}`, event: '/restapi/v1.0/account/1/extension/1/message-store', body: { n } },
  );
}

/** Closes what a test left open (a subscription, then its gateway), in order. */
export async function closeAll(...things: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const thing of things) await thing?.close();
}
