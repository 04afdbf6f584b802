/**
 * The call log: `callLogSize` records generated from their index (no memory per record), newest
 * first, listed page by page (`GET …/call-log`) and read by id (`GET …/call-log/{ids}`, one id as
 * JSON, up to 50 as a `207` batch), at the extension and at the account level. A record's `uri` is
 * the level it was listed at, and reading it answers the same record: times are counted back from
 * the server's start, not from each request.
 */

import type { MockContext } from './context.js';
import { restErrorBody } from './errors.js';
import type { MockRequest, Reply } from './http.js';
import { accountId } from './ids.js';
import { paged } from './lists.js';
import { batchReply } from './multipart-mixed.js';
import type { MockUser } from './types/options.js';

/** Where a call log is read: the caller's own, or the company's (`/account/~/call-log`). */
export type CallLogLevel = 'extension' | 'account';

const HOUR = 3_600_000;
const idOf = (i: number) => `CL${String(i + 1).padStart(9, '0')}`;

function base(ctx: MockContext, user: MockUser, level: CallLogLevel): string {
  const account = `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}`;
  return level === 'account' ? `${account}/call-log` : `${account}/extension/${user.id}/call-log`;
}

function callRecord(ctx: MockContext, user: MockUser, level: CallLogLevel, i: number) {
  const id = idOf(i);
  const inbound = i % 2 === 0;
  const other = {
    phoneNumber: `+1650555${String(1000 + (i % 9000)).padStart(4, '0')}`,
    name: `Caller ${i + 1}`,
  };
  const me = { phoneNumber: user.username, name: user.name, extensionId: user.id };
  return {
    uri: `${base(ctx, user, level)}/${id}`,
    id,
    sessionId: String(400_000_000 + i),
    telephonySessionId: `s-${id.toLowerCase()}`,
    // Newest first, as RingCentral sorts the call log.
    startTime: new Date(ctx.startedAt - HOUR - i * 60_000).toISOString(),
    duration: (i * 37) % 900,
    type: 'Voice',
    direction: inbound ? 'Inbound' : 'Outbound',
    action: 'Phone Call',
    result: i % 7 === 0 ? 'Missed' : 'Accepted',
    from: inbound ? other : me,
    to: inbound ? me : other,
  };
}

/** `GET .../call-log`: `page` (from 1) and `perPage` (1..1000, default 100); other parameters are kept in the URIs. */
export function callLog(ctx: MockContext, req: MockRequest, user: MockUser, level: CallLogLevel): Reply {
  return paged(ctx, req, ctx.lists.callLog, (i) => callRecord(ctx, user, level, i));
}

const notFoundBody = () =>
  restErrorBody('CMN-102', 'Resource for parameter [callRecordId] is not found', {
    parameterName: 'callRecordId',
  });

/** `GET .../call-log/{callRecordId}`: comma-separated ids (the description allows 50, checked before). */
export function readCallRecords(
  ctx: MockContext,
  user: MockUser,
  idList: string,
  level: CallLogLevel,
): Reply {
  return batchReply(
    idList.split(',').map((id) => {
      const match = /^CL(\d{9})$/.exec(id);
      const i = match ? Number(match[1]) - 1 : -1;
      const found = i >= 0 && i < ctx.lists.callLog;
      return {
        href: `${base(ctx, user, level)}/${id}`,
        status: found ? 200 : 404,
        body: found ? callRecord(ctx, user, level, i) : notFoundBody(),
      };
    }),
  );
}
