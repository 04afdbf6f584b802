/**
 * The REST routes: enough of `/restapi/v1.0` to exercise a client end to end: reads in the Light
 * group, SMS in the Medium group, lists (call log, Team Messaging chats), batch presence, fax upload
 * and message content, the subscription resource, and RingCentral's auth, 404 and validation error
 * bodies; every other operation of the description is answered from it (described.ts). Here a
 * request is matched, authenticated, metered and checked; the handlers live in their own files.
 */
import { findOperation } from '@rc/api/operations';
import { account, accountId, extension } from './account.js';
import type { MockContext } from './context.js';
import { handleDescribed } from './described.js';
import {
  accessTokenExpired,
  accessTokenNotFound,
  methodNotAllowed,
  missingBearer,
  notFound,
  rateExceeded,
  restError,
} from './errors.js';
import { messageContent, sendFax } from './fax.js';
import { bearerToken, json, type MockRequest, type Reply } from './http.js';
import { callLog, chats } from './lists.js';
import { listMessages, readMessage } from './message-routes.js';
import { presence } from './presence.js';
import { sendSms } from './sms.js';
import { checkRequest } from './spec/request-check.js';
import type { MockUser, RateLimitGroup } from './types/options.js';

const API_VERSION = { versionString: '1.0.60', releaseDate: '2024-06-01T00:00:00.000Z', uriString: 'v1.0' };

interface Route {
  method: string;
  /** Matches the path; the captured groups are the account id and, when present, the extension id. */
  pattern: RegExp;
  group: RateLimitGroup;
  /** The extension segment may name any extension of the account (presence), not only the caller. */
  anyExtension?: boolean;
  /** The request is checked against the description first (parameters the handler relies on). */
  checked?: boolean;
  /** The path names no account or extension (the captured group is the resource's own id). */
  ownerless?: boolean;
  run(ctx: MockContext, req: MockRequest, user: MockUser, match: RegExpExecArray): Reply | Promise<Reply>;
}

/** A route of the subscription resource, WebSocket and WebHook subscriptions alike (see notifications/). */
const subscriptionRoute = (method: string, tail: string, group: RateLimitGroup, checked = false): Route => ({
  method,
  pattern: new RegExp(`^/restapi/v1\\.0/subscription${tail}$`),
  group,
  ownerless: true,
  checked,
  run: subscriptions,
});

const ROUTES: Route[] = [
  subscriptionRoute('GET', '', 'Light'),
  subscriptionRoute('POST', '', 'Medium', true),
  subscriptionRoute('GET', '/([^/]+)', 'Light'),
  subscriptionRoute('PUT', '/([^/]+)', 'Medium'),
  subscriptionRoute('DELETE', '/([^/]+)', 'Medium'),
  subscriptionRoute('POST', '/([^/]+)/renew', 'Light'),
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)$/,
    group: 'Light',
    run: (ctx, _r, u) => json(200, account(ctx, u)),
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)$/,
    group: 'Light',
    run: (ctx, _r, u) => json(200, extension(ctx, u)),
  },
  {
    method: 'POST',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/sms$/,
    group: 'Medium',
    run: sendSms,
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/(?:extension\/([^/]+)\/)?call-log$/,
    group: 'Heavy',
    run: (ctx, req, u) => callLog(ctx, req, u, ctx.lists.callLog),
  },
  {
    method: 'GET',
    pattern: /^\/team-messaging\/v1\/chats$/,
    group: 'Light',
    run: (ctx, req) => chats(ctx, req, ctx.lists.chats),
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/presence$/,
    group: 'Light',
    anyExtension: true,
    run: (ctx, _r, u, m) => presence(ctx, u, m[2] ?? ''),
  },
  {
    method: 'POST',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/fax$/,
    group: 'Heavy',
    run: sendFax,
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/message-store$/,
    group: 'Light',
    checked: true,
    run: listMessages,
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/message-store\/(\d+)$/,
    group: 'Light',
    run: (ctx, _r, u, m) => readMessage(ctx, u, m[3] ?? ''),
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)\/message-store\/(\d+)\/content\/(\d+)$/,
    group: 'Medium',
    run: (ctx, _r, _u, m) => messageContent(ctx, m[3] ?? '', m[4] ?? ''),
  },
];

/**
 * The subscription resource over HTTP. Only creation is checked against the description: it caps
 * `subscriptionId` at 20 characters, yet RingCentral's ids (its own examples) are 36-character UUIDs;
 * the resource checks the rest itself.
 */
async function subscriptions(ctx: MockContext, req: MockRequest, user: MockUser, m: RegExpExecArray) {
  let body: unknown = null;
  try {
    body = req.body === '' ? null : JSON.parse(req.body);
  } catch {
    return restError(400, 'CMN-103', "JSON can't be parsed");
  }
  const caller = { userId: user.id, accountId: accountId(user) };
  const answer = ctx.subscriptions.request(caller, req.method, m[0], body);
  if (!answer) return notFound();
  const [status, reply] = await answer;
  return status === 204 ? { status, headers: {}, body: '' } : json(status, reply);
}

/** `~` means "mine"; an explicit id must be the token owner's own (the mock has no admin access). */
function ownsPath(user: MockUser, match: RegExpExecArray, anyExtension: boolean): string | undefined {
  const [, acc, ext] = match;
  if (acc !== undefined && acc !== '~' && acc !== accountId(user)) return 'accountId';
  if (!anyExtension && ext !== undefined && ext !== '~' && ext !== user.id) return 'extensionId';
  return undefined;
}

/** Routes every REST request that is not OAuth: the hand-written routes, then the description's operations. */
export async function handleRest(ctx: MockContext, req: MockRequest): Promise<Reply> {
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  // Version discovery needs no token, as on RingCentral.
  if (path === '/restapi/v1.0' && req.method === 'GET') {
    return json(200, { uri: `${ctx.baseUrl()}/restapi/v1.0`, ...API_VERSION });
  }
  if (path === '/restapi' && req.method === 'GET') {
    return json(200, {
      uri: `${ctx.baseUrl()}/restapi`,
      apiVersions: [{ uri: `${ctx.baseUrl()}/restapi/v1.0`, ...API_VERSION }],
    });
  }
  const matches = ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).filter((m) => m.match);
  const hit = matches.find((m) => m.route.method === req.method);
  // Hand-written routes first; every other operation of the description is answered from it.
  const described = hit ? undefined : findOperation(req.method, path);
  if (!hit?.match && !described) {
    return matches.length === 0
      ? notFound()
      : methodNotAllowed(matches.map((m) => m.route.method).join(', '));
  }

  const token = bearerToken(req);
  if (!token) return missingBearer();
  const found = ctx.sessions.findByAccess(token);
  if ('missing' in found) return found.missing === 'expired' ? accessTokenExpired() : accessTokenNotFound();
  const user = ctx.findUserById(found.session.userId);
  if (!user) return accessTokenNotFound();
  if (described) return handleDescribed(ctx, req, user, described);
  if (!hit?.match) return notFound();

  const limit = ctx.limiter.check(hit.route.group, user.id);
  if (limit.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
  const foreign = hit.route.ownerless
    ? undefined
    : ownsPath(user, hit.match, hit.route.anyExtension === true);
  const operation = hit.route.checked ? findOperation(req.method, path) : undefined;
  const reply = foreign
    ? restError(404, 'CMN-102', `Resource for parameter [${foreign}] is not found`, {
        parameterName: foreign,
      })
    : ((operation && checkRequest(operation.operation, operation.params, req)) ??
      (await hit.route.run(ctx, req, user, hit.match)));
  return { ...reply, headers: { ...limit.headers, ...reply.headers } };
}
