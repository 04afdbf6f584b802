/**
 * The extension routes over the directory (directory.ts): the list (`GET .../extension`, paged,
 * with RingCentral's filters), a record by id (`~` or its number; any extension of the account),
 * and `PUT`, kept. An unknown id is RingCentral's 404 naming `extensionId`.
 */

import type { MockContext } from './context.js';
import type { Fields } from './directory.js';
import { extensionNotFound, restError } from './errors.js';
import { json, type MockRequest, objectBody, type Reply } from './http.js';
import { accountId, ownId } from './ids.js';
import { paged } from './lists.js';
import type { MockUser } from './types/options.js';

export function readExtension(ctx: MockContext, user: MockUser, id: string): Reply {
  const record = ctx.directory.extension(accountId(user), ownId(user, id));
  return record ? json(200, record) : extensionNotFound();
}

export function updateExtension(ctx: MockContext, req: MockRequest, user: MockUser, id: string): Reply {
  const body = objectBody(req);
  if (!body) return restError(400, 'CMN-103', "JSON can't be parsed");
  // The description leaves it a free string; RingCentral's extension numbers are short digit strings.
  if (body.extensionNumber !== undefined && !/^\d{1,8}$/.test(String(body.extensionNumber)))
    return restError(400, 'CMN-101', 'Parameter [extensionNumber] value is invalid', {
      parameterName: 'extensionNumber',
    });
  const record = ctx.directory.updateExtension(accountId(user), ownId(user, id), body);
  return record ? json(200, record) : extensionNotFound();
}

/**
 * `GET .../extension`: `extensionNumber`, `email`, `status` and `type` filter (a record passes when
 * it matches one of each given list); without a filter the list is paged straight from the
 * directory, so a large one costs nothing per record.
 */
export function listExtensions(ctx: MockContext, req: MockRequest, user: MockUser): Reply {
  const account = accountId(user);
  const { directory } = ctx;
  const q = req.query;
  const wanted = (name: string) => q.getAll(name).filter((v) => v !== '');
  const filters: [string, string[]][] = [
    ['extensionNumber', wanted('extensionNumber')],
    ['status', wanted('status')],
    ['type', wanted('type')],
    ['email', wanted('email').map((e) => e.toLowerCase())],
  ];
  const active = filters.filter(([, values]) => values.length > 0);
  const at = (i: number) => directory.listed(account, directory.idAt(account, i)) as Fields;
  if (active.length === 0) return paged(ctx, req, directory.count(account), at);
  const records: Fields[] = [];
  for (let i = 0; i < directory.count(account); i++) {
    const record = at(i);
    const value = (name: string) =>
      name === 'email'
        ? String((record.contact as Fields | undefined)?.email ?? '').toLowerCase()
        : String(record[name] ?? '');
    if (active.every(([name, values]) => values.includes(value(name)))) records.push(record);
  }
  return paged(ctx, req, records.length, (i) => records[i]);
}
