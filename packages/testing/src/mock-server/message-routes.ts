/** The message-store routes: a message by id and the list, over the server's message store (message-store.ts). */
import type { MockContext } from './context.js';
import { restError } from './errors.js';
import { json, type MockRequest, type Reply } from './http.js';
import { paged } from './lists.js';
import type { MockUser } from './types/options.js';

const DAY = 24 * 3_600_000;

const notFound = () =>
  restError(404, 'CMN-102', 'Resource for parameter [messageId] is not found', {
    parameterName: 'messageId',
  });

/**
 * `GET …/message-store/{messageId}`: the record, plus `vmSideRecipients` (the description requires
 * it on a single message; the list's records do not carry it).
 */
export function readMessage(ctx: MockContext, user: MockUser, id: string): Reply {
  const record = ctx.messages.get(user.id, id);
  if (!record) return notFound();
  const to = Array.isArray(record.to) ? (record.to as { phoneNumber?: string; name?: string }[]) : [];
  const vmSideRecipients = to.map(({ phoneNumber, name }) => ({
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
    ...(name === undefined ? {} : { name }),
  }));
  return json(200, { ...record, vmSideRecipients });
}

/**
 * `GET …/message-store`: the filters RingCentral documents (`messageType`, `direction`,
 * `readStatus`, `availability`, `dateFrom` — by default the last 24 hours — and `dateTo`), paged
 * by `page` and `perPage`. The request was checked against the description before.
 */
export function listMessages(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  const q = req.query;
  const oneOf = (name: string, value: unknown) => {
    const wanted = q.getAll(name).flatMap((v) => v.split(','));
    return wanted.length === 0 || wanted.includes(String(value));
  };
  const from = Date.parse(q.get('dateFrom') ?? '') || ctx.now() - DAY;
  const to = Date.parse(q.get('dateTo') ?? '') || Number.POSITIVE_INFINITY;
  const records = ctx.messages.list(user.id).filter((m) => {
    const time = Date.parse(m.creationTime);
    return (
      oneOf('messageType', m.type) &&
      oneOf('direction', m.direction) &&
      oneOf('readStatus', m.readStatus) &&
      oneOf('availability', m.availability) &&
      time >= from &&
      time <= to
    );
  });
  return paged(ctx, req, records.length, (i) => records[i]);
}
