/**
 * Fax upload and message content. `POST .../fax` takes RingCentral's `multipart/form-data`: a
 * first JSON part with the message fields (`to`, `faxResolution`, `coverPageText`, ...), then the
 * attachments. The reply is the fax message record; each attachment is echoed with its `size`,
 * `fileName`, `contentType` and a mock-only `sha256` (hex), so a test can check what arrived.
 * `GET .../message-store/{messageId}/content/{attachmentId}` sends the bytes back. A fax sent is
 * announced to the sender's message-store subscribers, as an SMS is.
 */
import { createHash } from 'node:crypto';
import { multipartBoundary, parseMultipart } from '@rc/core/multipart';
import type { MockContext } from './context.js';
import { notFound, restError } from './errors.js';
import { json, type MockRequest, type Reply } from './http.js';
import { announceMessages } from './message-events.js';
import type { MockUser } from './types/options.js';

const invalid = (name: string, why = '') =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid${why}`, { parameterName: name });

const fileName = (disposition: string | undefined) =>
  /;\s*filename="([^"]*)"/i.exec(disposition ?? '')?.[1] ??
  /;\s*filename=([^;\s]+)/i.exec(disposition ?? '')?.[1];

const isPhone = (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { phoneNumber?: unknown }).phoneNumber === 'string';

/** A multipart upload: the JSON fields of its first part and the files after it, or the 4xx to answer. */
export function readUpload(
  req: MockRequest,
): { fields: Record<string, unknown>; files: MultipartPart[] } | Reply {
  const type = req.headers['content-type'];
  const boundary = multipartBoundary(type);
  if (!boundary || !/^multipart\/(form-data|mixed)/i.test(type ?? ''))
    return restError(415, 'CMN-415', 'Unsupported Media Type: multipart/form-data is expected');
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(req.raw, boundary, { maxParts: 51 });
  } catch {
    return invalid('body', ': malformed multipart body');
  }
  const [first, ...files] = parts;
  let fields: Record<string, unknown>;
  try {
    if (!/^application\/json/i.test(first?.headers['content-type'] ?? '')) throw new Error('not JSON');
    fields = JSON.parse(Buffer.from(first?.body ?? []).toString('utf8')) as Record<string, unknown>;
    if (typeof fields !== 'object' || fields === null) throw new Error('not an object');
  } catch {
    return invalid('body', ': the first part must be the JSON message fields');
  }
  return { fields, files };
}

type MultipartPart = ReturnType<typeof parseMultipart>[number];

interface Attachment {
  contentType: string;
  bytes: Uint8Array;
  fileName?: string | undefined;
}

export function sendFax(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  // A JSON body re-sends a fax already sent (`originalMessageId`), as RingCentral's description allows.
  if (/^application\/json/i.test(req.headers['content-type'] ?? '')) return resendFax(ctx, req, user);
  const upload = readUpload(req);
  if ('status' in upload) return upload;
  const { fields, files } = upload;
  const { to, faxResolution = 'Low', coverPageText } = fields;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isPhone)) return invalid('to');
  if (faxResolution !== 'High' && faxResolution !== 'Low') return invalid('faxResolution');
  if (files.length === 0 && typeof coverPageText !== 'string')
    return invalid('attachment', ': nothing to send');
  const attachments = files.map((f) => ({
    contentType: f.headers['content-type'] ?? 'application/octet-stream',
    bytes: f.body,
    fileName: fileName(f.headers['content-disposition']),
  }));
  return storeFax(ctx, user, to as { phoneNumber: string }[], faxResolution, attachments);
}

function resendFax(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  let fields: { originalMessageId?: unknown; to?: unknown };
  try {
    fields = JSON.parse(req.body) as typeof fields;
  } catch {
    return restError(400, 'CMN-103', "JSON can't be parsed");
  }
  if (fields?.originalMessageId === undefined)
    return restError(400, 'CMN-100', 'Mandatory parameter [originalMessageId] not specified', {
      parameterName: 'originalMessageId',
    });
  const id = String(fields.originalMessageId);
  const original = ctx.messages.get(user.id, id);
  if (original?.type !== 'Fax')
    return restError(404, 'CMN-102', 'Resource for parameter [originalMessageId] is not found', {
      parameterName: 'originalMessageId',
    });
  const to = fields.to ?? original.to;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isPhone)) return invalid('to');
  const recipients = (to as { phoneNumber: string }[]).map((t) => ({ phoneNumber: t.phoneNumber }));
  const resolution = original.faxResolution === 'High' ? 'High' : 'Low';
  return storeFax(ctx, user, recipients, resolution, ctx.content.all(id));
}

/** A new outbound fax in the message store, its attachments kept for content downloads. */
function storeFax(
  ctx: MockContext,
  user: MockUser,
  to: { phoneNumber: string }[],
  faxResolution: 'High' | 'Low',
  attachments: Attachment[],
): Reply {
  const id = ctx.messages.nextId();
  const base = `${ctx.baseUrl()}/restapi/v1.0/account/${user.accountId ?? '1'}/extension/${user.id}/message-store/${id}`;
  const stored = attachments.map((a, i) => ({ ...a, id: id * 100 + i + 1 }));
  ctx.content.put(id, stored);
  const time = new Date(ctx.now()).toISOString();
  const record = {
    uri: base,
    id,
    type: 'Fax',
    direction: 'Outbound',
    availability: 'Alive',
    messageStatus: 'Queued',
    readStatus: 'Read',
    priority: 'Normal',
    faxResolution,
    faxPageCount: Math.max(1, stored.length),
    creationTime: time,
    lastModifiedTime: time,
    from: { phoneNumber: user.username, name: user.name },
    to: to.map((t) => ({ phoneNumber: t.phoneNumber, messageStatus: 'Queued' })),
    attachments: stored.map((a) => ({
      id: a.id,
      uri: `${base}/content/${a.id}`,
      type: 'RenderedDocument',
      contentType: a.contentType,
      size: a.bytes.byteLength,
      ...(a.fileName === undefined ? {} : { fileName: a.fileName }),
      sha256: createHash('sha256').update(a.bytes).digest('hex'),
    })),
  };
  ctx.messages.add(user.id, record);
  announceMessages(ctx, user, 'Fax', { newIds: [id] });
  return json(200, record);
}

export function messageContent(
  ctx: MockContext,
  user: MockUser,
  messageId: string,
  attachmentId: string,
): Reply {
  // Only the owner's message store holds it: another user (through `~`) finds nothing.
  const found = ctx.messages.get(user.id, messageId) && ctx.content.get(messageId, attachmentId);
  if (!found) return notFound();
  return {
    status: 200,
    headers: {
      'Content-Type': found.contentType,
      'Content-Length': String(found.bytes.byteLength),
      'Content-Disposition': 'inline',
    },
    body: found.bytes,
  };
}
