/**
 * `POST .../sms`: an SMS (JSON) or MMS (multipart, attachments kept with the message) is checked as
 * RingCentral checks it, stored in the message store, and announced to the sender's message-store
 * subscribers, as RingCentral does.
 */

import type { MockContext } from './context.js';
import { restError } from './errors.js';
import { readUpload } from './fax.js';
import { json, type MockRequest, type Reply } from './http.js';
import { accountId } from './ids.js';
import { announceMessages } from './message-events.js';
import type { MockUser } from './types/options.js';

const invalidParameter = (name: string) =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });

const isPhone = (v: unknown): v is { phoneNumber: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { phoneNumber?: unknown }).phoneNumber === 'string' &&
  (v as { phoneNumber: string }).phoneNumber.length > 0;

export function sendSms(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
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
  announceMessages(ctx, user, 'SMS', { newIds: [id] });
  return json(200, record);
}
