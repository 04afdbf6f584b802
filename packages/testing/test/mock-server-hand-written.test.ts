import { findOperation } from '@rc/api/operations';
import { describe, expect, it } from 'vitest';
import { handWrittenOperations } from '../src/mock-server/rest.js';
import { validRequest } from './described-request.js';
import { withFileMock } from './with-mock.js';

// The hand-written routes (the ones with state or behaviour of their own) are operations of the
// description like the rest: metered in the described group and checked as the described routes
// are, before their own handler runs.

const t = withFileMock();

const get = (path: string) => fetch(`${t.mock.url}${path}`, { headers: t.auth });

describe('hand-written routes', () => {
  it('Team Messaging chats count in the described Medium group (listGlipChatsNew)', async () => {
    const res = await get('/team-messaging/v1/chats');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rate-limit-group')).toBe(
      findOperation('GET', '/team-messaging/v1/chats')?.operation.group,
    );
    expect(res.headers.get('x-rate-limit-group')).toBe('Medium');
  });

  it('each is metered in the rate-limit group the description gives its operation', async () => {
    const ops = handWrittenOperations();
    expect(ops.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const op of ops) {
      const built = validRequest(op, t.mock.url);
      const query = built.query.size > 0 ? `?${built.query}` : '';
      const res = await fetch(`${t.mock.url}${built.path}${query}`, {
        method: op.method,
        headers: { ...t.auth, ...built.headers },
        ...(built.body === undefined ? {} : { body: built.body }),
      });
      await res.arrayBuffer();
      const group = res.headers.get('x-rate-limit-group');
      if (group !== op.group) wrong.push(`${op.id}: ${group} (described: ${op.group})`);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['a call-log type outside its enum', '/restapi/v1.0/account/~/extension/~/call-log?type=Nope', 'type[0]'],
    [
      'a call-log dateFrom that is not a date-time',
      '/restapi/v1.0/account/~/call-log?dateFrom=yesterday',
      'dateFrom',
    ],
    [
      'an extension id that is neither ~ nor a number',
      '/restapi/v1.0/account/~/extension/abc',
      'extensionId',
    ],
    ['an account id that is neither ~ nor a number', '/restapi/v1.0/account/abc', 'accountId'],
    [
      'a presence of an id that is neither ~ nor a number',
      '/restapi/v1.0/account/~/extension/abc/presence',
      'extensionId',
    ],
    ['a chats type outside its enum', '/team-messaging/v1/chats?type=Nope', 'type[0]'],
  ])('answers RingCentral 400 naming the parameter: %s', async (_what, path, parameterName) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errorCode).toBe('CMN-101');
    expect(body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName });
    expect(body.message).toContain(`[${parameterName}]`);
  });

  it('answers 405 with Allow for a method the description does not give the path', async () => {
    const res = await fetch(`${t.mock.url}/restapi/v1.0/account/~/extension/~`, {
      method: 'PATCH',
      headers: t.auth,
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});
