/**
 * Presence, single and batched: `GET .../extension/{ids}/presence` with up to 30 comma-separated
 * extension ids. One id answers plain JSON; several answer `207 Multi-Status` `multipart/mixed`,
 * a first part `{ response: [{ href, status, responseDescription }] }` then one part per id, a
 * 404 error body for an id the account does not have. More than 30 ids are refused.
 */
import { STATUS_CODES } from 'node:http';
import type { MockContext } from './context.js';
import { restError, restErrorBody } from './errors.js';
import { json, type Reply } from './http.js';
import { multipartMixed } from './multipart-mixed.js';
import type { MockUser } from './types/options.js';

export const MAX_BATCH_IDS = 30;

/** The extension ids of the account: the users' own, and `directorySize` more from 101 up. */
export function directoryHas(ctx: MockContext, id: string): boolean {
  if (ctx.options.users.some((u) => u.id === id)) return true;
  const n = /^\d{1,9}$/.test(id) ? Number(id) : Number.NaN;
  return n >= 101 && n < 101 + ctx.options.directorySize;
}

function presenceRecord(ctx: MockContext, user: MockUser, id: string) {
  const base = `${ctx.baseUrl()}/restapi/v1.0/account/${user.accountId ?? '1'}/extension/${id}`;
  const busy = Number(id) % 5 === 0;
  return {
    uri: `${base}/presence`,
    extension: { uri: base, id: /^\d+$/.test(id) ? Number(id) : id, extensionNumber: id },
    presenceStatus: busy ? 'Busy' : 'Available',
    telephonyStatus: busy ? 'OnHold' : 'NoCall',
    userStatus: 'Available',
    dndStatus: 'TakeAllCalls',
    allowSeeMyPresence: true,
    ringOnMonitoredCall: false,
    pickUpCallsOnHold: false,
  };
}

const notFoundBody = () =>
  restErrorBody('CMN-102', 'Resource for parameter [extensionId] is not found', {
    parameterName: 'extensionId',
  });

const decode = (id: string) => {
  try {
    return decodeURIComponent(id);
  } catch {
    return '';
  }
};

export function presence(ctx: MockContext, user: MockUser, idList: string): Reply {
  const ids = idList.split(',').map((id) => (id === '~' ? user.id : decode(id)));
  if (ids.some((id) => id === '')) {
    return restError(400, 'CMN-101', 'Parameter [extensionId] value is invalid', {
      parameterName: 'extensionId',
    });
  }
  if (ids.length > MAX_BATCH_IDS) {
    return restError(
      400,
      'CMN-101',
      `Parameter [extensionId] value is invalid: at most ${MAX_BATCH_IDS} ids in a batch`,
      {
        parameterName: 'extensionId',
      },
    );
  }
  if (ids.length === 1) {
    const id = ids[0] as string;
    return directoryHas(ctx, id) ? json(200, presenceRecord(ctx, user, id)) : json(404, notFoundBody());
  }
  const results = ids.map((id) => {
    const found = directoryHas(ctx, id);
    const status = found ? 200 : 404;
    return {
      summary: {
        href: `${ctx.baseUrl()}/restapi/v1.0/account/${user.accountId ?? '1'}/extension/${id}/presence`,
        status,
        responseDescription: STATUS_CODES[status],
      },
      body: found ? presenceRecord(ctx, user, id) : notFoundBody(),
    };
  });
  return multipartMixed([{ response: results.map((r) => r.summary) }, ...results.map((r) => r.body)]);
}
