/**
 * The REST resources: enough of `/restapi/v1.0` to exercise a client end to end: reads in the
 * Light group, SMS in the Medium group, lists (call log, Team Messaging chats), batch presence,
 * fax upload and message content, and RingCentral's auth, 404 and validation error bodies.
 */
import { findOperation } from '@rc/api/operations';
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
import { messageContent, readUpload, sendFax } from './fax.js';
import { bearerToken, json, type MockRequest, type Reply } from './http.js';
import { callLog, chats } from './lists.js';
import { listMessages, readMessage } from './message-routes.js';
import { presence } from './presence.js';
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
  run(ctx: MockContext, req: MockRequest, user: MockUser, match: RegExpExecArray): Reply;
}

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/subscription()$/,
    group: 'Light',
    ownerless: true,
    run: subscriptionResource(false),
  },
  {
    method: 'GET',
    pattern: /^\/restapi\/v1\.0\/subscription\/([^/]+)$/,
    group: 'Light',
    ownerless: true,
    run: subscriptionResource(false),
  },
  {
    method: 'PUT',
    pattern: /^\/restapi\/v1\.0\/subscription\/([^/]+)$/,
    group: 'Medium',
    ownerless: true,
    run: subscriptionResource(false),
  },
  {
    method: 'DELETE',
    pattern: /^\/restapi\/v1\.0\/subscription\/([^/]+)$/,
    group: 'Medium',
    ownerless: true,
    run: subscriptionResource(false),
  },
  {
    method: 'POST',
    pattern: /^\/restapi\/v1\.0\/subscription\/([^/]+)\/renew$/,
    group: 'Light',
    ownerless: true,
    run: subscriptionResource(true),
  },
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
 * The REST subscription resource: the WebSocket gateway's subscriptions of the caller. Not checked
 * against the description: it caps `subscriptionId` at 20 characters, yet RingCentral's ids (its own
 * examples) are 36-character UUIDs; the gateway checks the body itself.
 */
function subscriptionResource(renew: boolean) {
  return (ctx: MockContext, req: MockRequest, user: MockUser, m: RegExpExecArray): Reply => {
    let body: unknown = null;
    try {
      body = req.body === '' ? null : JSON.parse(req.body);
    } catch {
      return restError(400, 'CMN-103', "JSON can't be parsed");
    }
    const [status, reply] = ctx.subscriptions(user.id, req.method, m[1] ?? '', renew, body);
    return status === 204 ? { status, headers: {}, body: '' } : json(status, reply);
  };
}

const accountId = (user: MockUser) => user.accountId ?? '1';
/** RingCentral ids are numbers on the wire; a non-numeric mock id is passed through as is. */
const wireId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : id);

function account(ctx: MockContext, user: MockUser) {
  const id = accountId(user);
  return {
    uri: `${ctx.baseUrl()}/restapi/v1.0/account/${id}`,
    id: wireId(id),
    mainNumber: user.username,
    status: 'Confirmed',
    setupWizardState: 'Completed',
    serviceInfo: { brand: { id: '1210', name: 'RingCentral' } },
  };
}

function extension(ctx: MockContext, user: MockUser) {
  const [firstName = '', ...rest] = user.name.split(' ');
  return {
    uri: `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}/extension/${user.id}`,
    id: wireId(user.id),
    ...(user.extension === undefined ? {} : { extensionNumber: user.extension }),
    name: user.name,
    type: 'User',
    status: 'Enabled',
    contact: {
      firstName,
      lastName: rest.join(' '),
      ...(user.email === undefined ? {} : { email: user.email }),
    },
    account: { uri: `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}`, id: accountId(user) },
  };
}

const invalidParameter = (name: string) =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });

const isPhone = (v: unknown): v is { phoneNumber: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { phoneNumber?: unknown }).phoneNumber === 'string' &&
  (v as { phoneNumber: string }).phoneNumber.length > 0;

function sendSms(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  let body: unknown;
  if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
    // MMS: the message fields in the first part, attachments after it (kept with the message).
    const upload = readUpload(req);
    if ('status' in upload) return upload;
    body = upload.fields;
  } else {
    try {
      body = JSON.parse(req.body);
    } catch {
      return invalidParameter('body');
    }
  }
  if (typeof body !== 'object' || body === null) return invalidParameter('body');
  const { to, from, text } = body as Record<string, unknown>;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isPhone)) return invalidParameter('to');
  if (!isPhone(from)) return invalidParameter('from');
  if (typeof text !== 'string' || text.length === 0 || text.length > 1000) return invalidParameter('text');
  const id = ctx.messages.nextId();
  const time = new Date(ctx.now()).toISOString();
  const record = {
    uri: `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}/extension/${user.id}/message-store/${id}`,
    id,
    to: to.map((t) => ({ phoneNumber: t.phoneNumber })),
    from: { phoneNumber: from.phoneNumber },
    type: 'SMS',
    creationTime: time,
    lastModifiedTime: time,
    readStatus: 'Read',
    priority: 'Normal',
    direction: 'Outbound',
    availability: 'Alive',
    subject: text,
    messageStatus: 'Queued',
    conversationId: id + 1,
  };
  ctx.messages.add(user.id, record);
  // RingCentral tells the sender's message-store subscribers about the new message.
  ctx.notify(`/restapi/v1.0/account/${accountId(user)}/extension/${user.id}/message-store`, {
    extensionId: user.id,
    ownerId: user.id,
    lastUpdated: time,
    changes: [{ type: 'SMS', newCount: 1, updatedCount: 0, newMessageIds: [id] }],
  });
  return json(200, record);
}

/** `~` means "mine"; an explicit id must be the token owner's own (the mock has no admin access). */
function ownsPath(user: MockUser, match: RegExpExecArray, anyExtension: boolean): string | undefined {
  const [, acc, ext] = match;
  if (acc !== undefined && acc !== '~' && acc !== accountId(user)) return 'accountId';
  if (!anyExtension && ext !== undefined && ext !== '~' && ext !== user.id) return 'extensionId';
  return undefined;
}

/** Routes every REST request that is not OAuth: the hand-written routes, then the description's operations. */
export function handleRest(ctx: MockContext, req: MockRequest): Reply {
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
      hit.route.run(ctx, req, user, hit.match));
  return { ...reply, headers: { ...limit.headers, ...reply.headers } };
}
