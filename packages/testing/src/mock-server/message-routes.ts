/**
 * The message-store routes over the server's message store (message-store.ts): a message by id and
 * the list; `PUT` (`readStatus`) and `PATCH` (`readStatus`, `availability`) of one message; and
 * `DELETE`, which RingCentral applies in two steps: the first moves a message to `Deleted` (still
 * readable, listed with `availability=Deleted`), the second — or the first with `purge=true` —
 * purges it, attachments included (then it is not found). Changes are announced to the owner's
 * message-store subscribers.
 */
import type { MockContext } from './context.js';
import { restError } from './errors.js';
import { json, type MockRequest, objectBody, type Reply } from './http.js';
import { paged } from './lists.js';
import { announceMessages } from './message-events.js';
import type { MessageRecord } from './message-store.js';
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
 * `readStatus`, `availability` — by default `Alive` —, `dateFrom` — by default the last 24 hours —
 * and `dateTo`), paged
 * by `page` and `perPage`. The request was checked against the description before.
 */
export function listMessages(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  const q = req.query;
  const oneOf = (name: string, value: unknown, fallback?: string) => {
    const given = q.getAll(name).flatMap((v) => v.split(','));
    const wanted = given.length === 0 && fallback !== undefined ? [fallback] : given;
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
      // Deleted messages are listed only when asked for, as RingCentral lists `Alive` ones by default.
      oneOf('availability', m.availability, 'Alive') &&
      time >= from &&
      time <= to
    );
  });
  return paged(ctx, req, records.length, (i) => records[i]);
}

const touched = (ctx: MockContext, fields: Partial<MessageRecord>) => ({
  ...fields,
  lastModifiedTime: new Date(ctx.now()).toISOString(),
});

function purge(ctx: MockContext, user: MockUser, id: string): void {
  ctx.messages.remove(user.id, id);
  ctx.content.delete(id);
}

/**
 * `PUT` and `PATCH …/message-store/{messageId}` of one message (JSON, checked against the
 * description before). Several ids take RingCentral's bulk multipart body, not modelled: those
 * are left to the synthesised reply (`undefined`).
 */
export function updateMessage(
  ctx: MockContext,
  req: MockRequest,
  user: MockUser,
  id: string,
): Reply | undefined {
  if (id.includes(',')) return undefined;
  const record = ctx.messages.get(user.id, id);
  if (!record) return notFound();
  const body = objectBody(req);
  if (!body) return restError(400, 'CMN-103', "JSON can't be parsed");
  const { readStatus, availability } = body as { readStatus?: string; availability?: string };
  if (availability === 'Purged') {
    purge(ctx, user, id);
    announceMessages(ctx, user, record.type, { updated: 1 });
    return json(200, { ...record, ...touched(ctx, { availability }) });
  }
  const fields = {
    ...(readStatus === undefined ? {} : { readStatus }),
    ...(availability === undefined ? {} : { availability }),
  };
  const updated = ctx.messages.update(user.id, id, touched(ctx, fields)) as MessageRecord;
  announceMessages(ctx, user, record.type, { updated: 1 });
  return json(200, updated);
}

/** `DELETE …/message-store/{messageIds}`: every id must be the caller's; `purge=true` skips `Deleted`. */
export function deleteMessages(ctx: MockContext, req: MockRequest, user: MockUser, idList: string): Reply {
  const ids = idList.split(',');
  const records = ids.map((id) => ctx.messages.get(user.id, id));
  if (records.some((r) => r === undefined)) return notFound();
  const purgeNow = req.query.get('purge') === 'true';
  const counts = new Map<string, number>();
  ids.forEach((id, i) => {
    const record = records[i] as MessageRecord;
    if (purgeNow || record.availability === 'Deleted') purge(ctx, user, id);
    else ctx.messages.update(user.id, id, touched(ctx, { availability: 'Deleted' }));
    counts.set(record.type, (counts.get(record.type) ?? 0) + 1);
  });
  for (const [type, updated] of counts) announceMessages(ctx, user, type, { updated });
  return { status: 204, headers: {}, body: '' };
}
