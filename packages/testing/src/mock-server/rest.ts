/**
 * The REST API: every request that is not OAuth is routed through the description's operation
 * table (`findOperation`), authenticated, metered in its operation's described rate-limit group
 * and checked against the description; then the hand-written handler of that operation answers
 * (the resources with state or behaviour of their own), or a reply synthesised from the
 * description (described.ts). Keyed by operation id, a hand-written route cannot disagree with the
 * description about its path, its method or its group.
 */
import { allOperations, findOperation, type OperationInfo, type OperationName } from '@rc/api/operations';
import { account } from './account.js';
import { callLog, readCallRecords } from './call-log.js';
import type { MockContext } from './context.js';
import { checkDescribed, handleDescribed } from './described.js';
import {
  accessTokenExpired,
  accessTokenNotFound,
  extensionNotFound,
  methodNotAllowed,
  missingBearer,
  notFound,
  rateExceeded,
  restError,
} from './errors.js';
import { listExtensions, readExtension, updateExtension } from './extension-routes.js';
import { messageContent, sendFax } from './fax.js';
import { bearerToken, json, type MockRequest, type Reply } from './http.js';
import { accountId } from './ids.js';
import { chats } from './lists.js';
import { deleteMessages, listMessages, readMessage, updateMessage } from './message-routes.js';
import { accountPresence, readPresence, updatePresence } from './presence.js';
import { sendSms } from './sms.js';
import type { MockUser } from './types/options.js';

const API_VERSION = { versionString: '1.0.60', releaseDate: '2024-06-01T00:00:00.000Z', uriString: 'v1.0' };

type Params = Readonly<Record<string, string>>;

interface Route {
  /** Answers the request; `undefined` leaves it to the synthesised reply (a case not modelled). */
  run(
    ctx: MockContext,
    req: MockRequest,
    user: MockUser,
    params: Params,
  ): Reply | undefined | Promise<Reply | undefined>;
  /** The extension may be any of the account's (the directory), not only the caller's own. */
  anyExtension?: boolean;
  /** Why the description's request check is skipped (the handler checks the request itself). */
  unchecked?: string;
}

/**
 * The subscription resource, WebSocket and WebHook subscriptions alike (see notifications/). Only
 * creation is checked against the description: it caps `subscriptionId` at 20 characters, yet
 * RingCentral's ids (its own examples) are 36-character UUIDs; the resource checks the rest itself.
 */
const subscriptionRoute = (checked = false): Route => ({
  run: subscriptions,
  ...(checked ? {} : { unchecked: 'subscription ids are UUIDs, longer than the described 20 characters' }),
});

const ROUTES: Partial<Record<OperationName, Route>> = {
  listSubscriptions: subscriptionRoute(),
  createSubscription: subscriptionRoute(true),
  readSubscription: subscriptionRoute(),
  updateSubscription: subscriptionRoute(),
  deleteSubscription: subscriptionRoute(),
  renewSubscription: subscriptionRoute(),
  readAccountInfo: { run: (ctx, _r, u) => json(200, account(ctx, u)) },
  listExtensions: { run: listExtensions },
  readExtension: { anyExtension: true, run: (ctx, _r, u, p) => readExtension(ctx, u, p.extensionId ?? '') },
  updateExtension: {
    anyExtension: true,
    run: (ctx, req, u, p) => updateExtension(ctx, req, u, p.extensionId ?? ''),
  },
  createSMSMessage: { run: sendSms },
  readUserCallLog: { run: (ctx, req, u) => callLog(ctx, req, u, 'extension') },
  readCompanyCallLog: { run: (ctx, req, u) => callLog(ctx, req, u, 'account') },
  readUserCallRecord: {
    run: (ctx, _r, u, p) => readCallRecords(ctx, u, p.callRecordId ?? '', 'extension'),
  },
  readCompanyCallRecord: {
    run: (ctx, _r, u, p) => readCallRecords(ctx, u, p.callRecordId ?? '', 'account'),
  },
  listGlipChatsNew: { run: (ctx, req) => chats(ctx, req, ctx.lists.chats) },
  readUserPresenceStatus: {
    anyExtension: true,
    run: (ctx, _r, u, p) => readPresence(ctx, u, p.extensionId ?? ''),
  },
  readAccountPresence: { run: accountPresence },
  updateUserPresenceStatus: {
    anyExtension: true,
    run: (ctx, req, u, p) => updatePresence(ctx, req, u, p.extensionId ?? ''),
  },
  createFaxMessage: { run: sendFax },
  listMessages: { run: listMessages },
  readMessage: { run: (ctx, _r, u, p) => readMessage(ctx, u, p.messageId ?? '') },
  updateMessage: { run: (ctx, req, u, p) => updateMessage(ctx, req, u, p.messageId ?? '') },
  patchMessage: { run: (ctx, req, u, p) => updateMessage(ctx, req, u, p.messageId ?? '') },
  deleteMessage: { run: (ctx, req, u, p) => deleteMessages(ctx, req, u, p.messageId ?? '') },
  readMessageContent: {
    run: (ctx, _r, u, p) => messageContent(ctx, u, p.messageId ?? '', p.attachmentId ?? ''),
  },
};

/** The operations that have a hand-written route (for tests that walk them). */
export function handWrittenOperations(): OperationInfo[] {
  return allOperations().filter((op) => Object.hasOwn(ROUTES, op.id));
}

async function subscriptions(ctx: MockContext, req: MockRequest, user: MockUser) {
  let body: unknown = null;
  try {
    body = req.body === '' ? null : JSON.parse(req.body);
  } catch {
    return restError(400, 'CMN-103', "JSON can't be parsed");
  }
  const caller = { userId: user.id, accountId: accountId(user) };
  const answer = ctx.subscriptions.request(caller, req.method, req.path, body);
  if (!answer) return notFound();
  const [status, reply] = await answer;
  return status === 204 ? { status, headers: {}, body: '' } : json(status, reply);
}

/** `~` or the caller's own id: the mock has no admin access to another extension's resources. */
function foreignExtension(user: MockUser, params: Params): Reply | undefined {
  const ext = params.extensionId;
  if (ext === undefined || ext === '~' || ext === user.id) return undefined;
  return extensionNotFound();
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

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
  const match = findOperation(req.method, path);
  if (!match) {
    const allowed = METHODS.filter((m) => findOperation(m, path));
    return allowed.length === 0 ? notFound() : methodNotAllowed(allowed.join(', '));
  }

  const token = bearerToken(req);
  if (!token) return missingBearer();
  const found = ctx.sessions.findByAccess(token);
  if ('missing' in found) return found.missing === 'expired' ? accessTokenExpired() : accessTokenNotFound();
  const user = ctx.findUserById(found.session.userId);
  if (!user) return accessTokenNotFound();

  const { operation, params } = match;
  const limit = operation.group === 'NoThrottling' ? undefined : ctx.limiter.check(operation.group, user.id);
  if (limit?.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
  const route = Object.hasOwn(ROUTES, operation.id) ? ROUTES[operation.id] : undefined;
  const reply = route
    ? (checkDescribed(ctx, req, user, match, { skipDescription: route.unchecked !== undefined }) ??
      (route.anyExtension ? undefined : foreignExtension(user, params)) ??
      (await route.run(ctx, { ...req, path }, user, params)) ??
      handleDescribed(ctx, req, user, match))
    : handleDescribed(ctx, req, user, match);
  return { ...reply, headers: { ...limit?.headers, ...reply.headers } };
}
