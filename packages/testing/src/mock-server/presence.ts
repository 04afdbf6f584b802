/**
 * Presence over the directory (directory.ts): `GET .../extension/{ids}/presence` with up to 30
 * comma-separated extension ids (one id answers plain JSON, several a `207` `multipart/mixed` batch
 * with a 404 part for an id the account does not have), the account's list (`GET
 * .../account/{id}/presence`, paged), and `PUT`, kept and announced to the subscribers of that
 * extension's presence, as RingCentral does.
 */

import type { MockContext } from './context.js';
import type { Fields } from './directory.js';
import { extensionNotFoundBody, restError } from './errors.js';
import { json, type MockRequest, objectBody, type Reply } from './http.js';
import { accountId, ownId } from './ids.js';
import { paged } from './lists.js';
import { batchReply } from './multipart-mixed.js';
import type { MockUser } from './types/options.js';

/** RingCentral's most ids in one batch read. */
const MAX_BATCH_IDS = 30;

export function readPresence(ctx: MockContext, user: MockUser, idList: string): Reply {
  const ids = idList.split(',').map((id) => ownId(user, id));
  if (ids.length > MAX_BATCH_IDS) {
    return restError(
      400,
      'CMN-101',
      `Parameter [extensionId] value is invalid: at most ${MAX_BATCH_IDS} ids in a batch`,
      { parameterName: 'extensionId' },
    );
  }
  const account = accountId(user);
  return batchReply(
    ids.map((id) => {
      const record = ctx.directory.presence(account, id);
      return {
        href: `${ctx.baseUrl()}/restapi/v1.0/account/${account}/extension/${id}/presence`,
        status: record ? 200 : 404,
        body: record ?? extensionNotFoundBody(),
      };
    }),
  );
}

/** `GET .../account/{id}/presence`: every extension's presence, page-numbered, as the directory lists them. */
export function accountPresence(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  const account = accountId(user);
  const { directory } = ctx;
  return paged(ctx, req, directory.count(account), (i) =>
    directory.presence(account, directory.idAt(account, i)),
  );
}

/** The presence event body (`ExtensionPresenceEventBody`) of a presence record. */
function presenceEvent(id: string, record: Fields, sequence: number) {
  const keys = [
    'telephonyStatus',
    'presenceStatus',
    'userStatus',
    'dndStatus',
    'dndStatusPersonal',
    'allowSeeMyPresence',
    'acceptCallQueueCalls',
    'ringOnMonitoredCall',
    'pickUpCallsOnHold',
  ];
  const fields = Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
  return { extensionId: id, ...fields, sequence, ownerId: id };
}

/** `PUT .../extension/{id}/presence`: the body was checked against the description before. */
export function updatePresence(ctx: MockContext, req: MockRequest, user: MockUser, rawId: string): Reply {
  const id = ownId(user, rawId);
  const account = accountId(user);
  const body = objectBody(req);
  if (!body) return restError(400, 'CMN-103', "JSON can't be parsed");
  const record = ctx.directory.updatePresence(account, id, body);
  if (!record) return json(404, extensionNotFoundBody());
  ctx.notify(
    `/restapi/v1.0/account/${account}/extension/${id}/presence`,
    presenceEvent(id, record, ctx.directory.nextSequence()),
  );
  return json(200, record);
}
