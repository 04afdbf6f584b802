/**
 * Fax upload and message content. `POST .../fax` takes RingCentral's `multipart/form-data`: a
 * first JSON part with the message fields (`to`, `faxResolution`, `coverPageText`, ...), then the
 * attachments. The reply is the fax message record; each attachment is echoed with its `size`,
 * `fileName`, `contentType` and a mock-only `sha256` (hex), so a test can check what arrived.
 * `GET .../message-store/{messageId}/content/{attachmentId}` sends the bytes back.
 */
import { createHash } from 'node:crypto';
import { multipartBoundary, parseMultipart } from '@rc/core/kit';
import type { MockContext } from './context.js';
import { notFound, restError } from './errors.js';
import { json, type MockRequest, type Reply } from './http.js';
import type { MockUser } from './types.js';

const invalid = (name: string, why = '') =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid${why}`, { parameterName: name });

const fileName = (disposition: string | undefined) =>
  /;\s*filename="([^"]*)"/i.exec(disposition ?? '')?.[1] ??
  /;\s*filename=([^;\s]+)/i.exec(disposition ?? '')?.[1];

const isPhone = (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { phoneNumber?: unknown }).phoneNumber === 'string';

export function sendFax(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  const type = req.headers['content-type'];
  const boundary = multipartBoundary(type);
  if (!boundary || !/^multipart\/(form-data|mixed)/i.test(type ?? ''))
    return restError(415, 'CMN-415', 'Unsupported Media Type: multipart/form-data is expected');
  let parts: ReturnType<typeof parseMultipart>;
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
  const { to, faxResolution = 'Low', coverPageText } = fields;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isPhone)) return invalid('to');
  if (faxResolution !== 'High' && faxResolution !== 'Low') return invalid('faxResolution');
  if (files.length === 0 && typeof coverPageText !== 'string')
    return invalid('attachment', ': nothing to send');

  const id = ctx.content.nextId();
  const base = `${ctx.baseUrl()}/restapi/v1.0/account/${user.accountId ?? '1'}/extension/${user.id}/message-store/${id}`;
  const stored = files.map((f, i) => ({
    id: id * 100 + i + 1,
    contentType: f.headers['content-type'] ?? 'application/octet-stream',
    bytes: f.body,
    fileName: fileName(f.headers['content-disposition']),
  }));
  ctx.content.put(id, stored);
  const time = new Date(ctx.now()).toISOString();
  return json(200, {
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
    to: (to as { phoneNumber: string }[]).map((t) => ({
      phoneNumber: t.phoneNumber,
      messageStatus: 'Queued',
    })),
    attachments: stored.map((a) => ({
      id: a.id,
      uri: `${base}/content/${a.id}`,
      type: 'RenderedDocument',
      contentType: a.contentType,
      size: a.bytes.byteLength,
      ...(a.fileName === undefined ? {} : { fileName: a.fileName }),
      sha256: createHash('sha256').update(a.bytes).digest('hex'),
    })),
  });
}

export function messageContent(ctx: MockContext, messageId: string, attachmentId: string): Reply {
  const found = ctx.content.get(messageId, attachmentId);
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
