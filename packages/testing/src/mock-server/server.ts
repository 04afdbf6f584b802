/**
 * `startMockServer()`: the HTTP server, routing, latency, stats and the test controls. Handlers
 * only build replies; this file writes them, so latency, stats and the `RCRequestId` header are
 * applied the same way to every answer, canned ones included.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthCodes } from './auth-codes.js';
import { handleAuthorizeGet, handleAuthorizePost } from './authorize.js';
import { ContentStore } from './content-store.js';
import { AUTHORIZE_PATH, type MockContext, REVOKE_PATH, TOKEN_PATH } from './context.js';
import { preflight, withCors } from './cors.js';
import { Directory } from './directory.js';
import { methodNotAllowed, restError } from './errors.js';
import { FailRules } from './fail-next.js';
import { BodyTooLargeError, type MockRequest, type Reply, readBody } from './http.js';
import { JwtCredentials } from './jwt-credentials.js';
import { MessageStore } from './message-store.js';
import { createNotifications } from './notifications/channels.js';
import { WSTOKEN_PATH, type WsGateway } from './notifications/ws-gateway.js';
import { handleRevoke, handleToken } from './oauth.js';
import { listSize, resolveLatency, resolveOptions } from './options.js';
import { Overrides } from './overrides.js';
import { RateLimiter } from './rate-limit.js';
import { handleRest } from './rest.js';
import { Sessions } from './sessions.js';
import { recordViolation } from './spec/oracle.js';
import { countRequest, countStatus, createStats, resetStats } from './stats.js';
import type { MockServerOptions } from './types/options.js';
import type { MockOverride } from './types/overrides.js';
import type { IssueJwtOptions, IssueTokenOptions, MockServer, RawTokenResponse } from './types/server.js';

function route(ctx: MockContext, gateway: WsGateway, req: MockRequest): Reply | Promise<Reply> {
  switch (req.path) {
    case WSTOKEN_PATH:
      return req.method === 'POST' ? gateway.handleToken(req) : methodNotAllowed('POST');
    case TOKEN_PATH:
      return req.method === 'POST' ? handleToken(ctx, req) : methodNotAllowed('POST');
    case REVOKE_PATH:
      return req.method === 'POST' ? handleRevoke(ctx, req) : methodNotAllowed('POST');
    case AUTHORIZE_PATH:
      if (req.method === 'GET') return handleAuthorizeGet(ctx, req);
      return req.method === 'POST' ? handleAuthorizePost(ctx, req) : methodNotAllowed('GET, POST');
  }
  return handleRest(ctx, req);
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  // setHeader is case-insensitive, so a canned `content-type` replaces the default `Content-Type`.
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.setHeader('RCRequestId', randomUUID());
  res.statusCode = reply.status;
  res.end(reply.body);
}

/**
 * Starts a local imitation of RingCentral's OAuth and REST API on 127.0.0.1.
 *
 * @example
 * const mock = await startMockServer();
 * const rc = createClient({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
 * // ...
 * await mock.close();
 */
export async function startMockServer(options?: MockServerOptions): Promise<MockServer> {
  const opts = resolveOptions(options);
  let offset = 0;
  let latency = opts.latency;
  let baseUrl = '';
  const now = () => opts.now() + offset;
  const stats = createStats();
  const failRules = new FailRules();
  const overrides = new Overrides();
  const timers = new Set<NodeJS.Timeout>();
  const confidential = opts.clients.find((c) => c.clientSecret !== undefined);
  const publicClient = opts.clients.find((c) => c.clientSecret === undefined);
  const defaultUser = opts.users[0]!;
  const ctx: MockContext = {
    options: opts,
    now,
    startedAt: now(),
    baseUrl: () => baseUrl,
    sessions: new Sessions(now),
    codes: new AuthCodes(now),
    jwts: new JwtCredentials(now, () => baseUrl),
    limiter: new RateLimiter({ enforced: opts.rateLimitsEnforced, rules: opts.rateLimits, now, stats }),
    stats,
    lists: { callLog: opts.callLogSize, chats: opts.chatCount },
    content: new ContentStore(),
    messages: new MessageStore(),
    directory: new Directory(opts.users, opts.directorySize, () => baseUrl),
    notify: (event, body) => channels.notify(event, body),
    get subscriptions() {
      return channels.resource;
    },
    findClient: (id) => opts.clients.find((c) => c.clientId === id),
    findUserById: (id) => opts.users.find((u) => u.id === id),
    onAuthorizeRequest: (query) => {
      mock.lastAuthorizeRequest = query;
    },
  };

  const channels = createNotifications(ctx);
  const { gateway } = channels;

  const delay = () => sleep(latency.min + Math.random() * (latency.max - latency.min));
  const sleep = (ms: number) => {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Concatenated, not resolved against a base: `//x` must stay a path, not become a host.
    const raw = `http://127.0.0.1${req.url?.startsWith('/') ? req.url : '/'}`;
    const url = new URL(URL.canParse(raw) ? raw : 'http://127.0.0.1/');
    const method = (req.method ?? 'GET').toUpperCase();
    let bytes: Buffer = Buffer.alloc(0);
    let reply: Reply | undefined;
    try {
      bytes = await readBody(req);
    } catch (error) {
      reply =
        error instanceof BodyTooLargeError
          ? restError(413, 'CMN-413', 'Request entity too large')
          : undefined;
      if (!reply) return void req.socket.destroy(); // the client went away mid-body
    }
    const body = bytes.toString('utf8');
    countRequest(stats, method, url.pathname, body);
    const request: MockRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      raw: bytes,
    };
    try {
      // A CORS preflight is the browser's, not the app's: canned failures are for the real request.
      reply ??=
        preflight(request) ??
        failRules.take(request) ??
        (await overrides.take(request)) ??
        (await route(ctx, gateway, request));
    } catch {
      // A handler bug must still answer, and the answer must not carry the error (it may hold input).
      reply = restError(500, 'CMN-500', 'Internal Server Error');
    }
    await delay();
    // A hung server: nothing is ever written; close() ends the connection.
    if (reply.hang) return;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (reply.destroy) return void req.socket.destroy();
    countStatus(stats, reply.status);
    if (!reply.fault) recordViolation(method, url.pathname, reply);
    try {
      write(res, withCors(request, reply));
    } catch {
      // e.g. a failNext header with an invalid value: fail this request, never the test process.
      req.socket.destroy();
    }
  };

  // Nothing a client sends may crash the test process: any escape resets that one connection.
  const server = createServer((req, res) => void handle(req, res).catch(() => req.socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.attach(server);

  let closing: Promise<void> | undefined;
  const mock: MockServer = {
    url: baseUrl,
    clientId: confidential?.clientId ?? '',
    clientSecret: confidential?.clientSecret ?? '',
    publicClientId: publicClient?.clientId ?? '',
    user: { ...defaultUser },
    jwt: ctx.jwts.issue({ userId: defaultUser.id }),
    issueJwt: (issue?: IssueJwtOptions) => {
      const userId = issue?.userId ?? defaultUser.id;
      if (!ctx.findUserById(userId)) throw new Error(`issueJwt: unknown userId "${userId}"`);
      const clientIds = issue?.clientIds;
      if (clientIds !== undefined) {
        if (!Array.isArray(clientIds) || clientIds.some((id) => !ctx.findClient(id)))
          throw new Error('issueJwt: clientIds must be ids of known clients');
      }
      const expiresInSec = issue?.expiresInSec;
      if (expiresInSec !== undefined && !(Number.isFinite(expiresInSec) && expiresInSec > 0))
        throw new Error('issueJwt: expiresInSec must be a positive number of seconds');
      return ctx.jwts.issue({ userId, clientIds, expiresInSec });
    },
    revokeJwt: (jwt) => typeof jwt === 'string' && ctx.jwts.revoke(jwt),
    stats,
    resetStats: () => resetStats(stats),
    invalidateAccessTokens: () => ctx.sessions.invalidateAccessTokens(),
    invalidateRefreshTokens: () => ctx.sessions.invalidateRefreshTokens(),
    setLatency: (value) => {
      latency = resolveLatency(value, 'setLatency');
    },
    setListSizes: (sizes) => {
      ctx.lists.callLog = listSize(sizes.callLog, ctx.lists.callLog, 'callLog');
      ctx.lists.chats = listSize(sizes.chats, ctx.lists.chats, 'chats');
    },
    advanceTime: (ms) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new Error('advanceTime: ms must be a number >= 0');
      offset += ms;
    },
    failNext: (rule) => failRules.add(rule),
    clearFailNext: () => failRules.clear(),
    override: (method, path, override) =>
      overrides.add(method, path, override as unknown as MockOverride<string, string>),
    reset: () => {
      overrides.reset();
      failRules.clear();
    },
    notify: channels.notify,
    webSocket: {
      drop: (options) => gateway.drop(options),
      refuseRecovery: (times) => channels.sessions.refuseRecovery(times),
      get openConnections() {
        return gateway.openConnections;
      },
    },
    webhooks: {
      get subscriptions() {
        return channels.webhooks.subscriptions;
      },
      stats: channels.webhookStats,
    },
    issueToken: (issue?: IssueTokenOptions): RawTokenResponse => {
      const userId = issue?.userId ?? defaultUser.id;
      const clientId = issue?.clientId ?? confidential?.clientId ?? opts.clients[0]!.clientId;
      if (!ctx.findUserById(userId)) throw new Error(`issueToken: unknown userId "${userId}"`);
      if (!ctx.findClient(clientId)) throw new Error(`issueToken: unknown clientId "${clientId}"`);
      const accessTtl = issue?.accessTokenTtl ?? opts.accessTokenTtl;
      const refreshTtl = issue?.refreshTokenTtl ?? opts.refreshTokenTtl;
      for (const [name, v] of [
        ['accessTokenTtl', accessTtl],
        ['refreshTokenTtl', refreshTtl],
      ] as const) {
        if (!Number.isFinite(v) || v <= 0)
          throw new Error(`issueToken: ${name} must be a positive number of seconds`);
      }
      return ctx.sessions.toResponse(ctx.sessions.create({ userId, clientId, accessTtl, refreshTtl }));
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        channels.close();
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until they time out: end them now.
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return mock;
}
