import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allOperations, type OperationInfo } from '@rc/api/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../src/index.js';
import { successResponse } from '../src/mock-server/spec/document.js';
import { replyViolation } from '../src/mock-server/spec/oracle.js';
import { validRequest } from './described-request.js';
import { withFileMock } from './with-mock.js';

const t = withFileMock();

// The five OAuth operations have their own tests (form bodies, client authentication, grants):
// getToken in mock-server-token.test.ts (and jwt, session), revokeToken in
// mock-server-session.test.ts, authorize (GET) and authorize2 (POST, the login form) in
// mock-server-authorize.test.ts, authWsToken in mock-server-websocket.test.ts.
const OAUTH = new Set(['getToken', 'revokeToken', 'authorize', 'authorize2', 'authWsToken']);
// Stateful resources: a made-up id is rightly not found (their own tests create one first).
const NOT_FOUND = new Set([
  'readSubscription',
  'updateSubscription',
  'deleteSubscription',
  'renewSubscription',
]);

// Operations whose synthesised body is valid in shape but not in meaning: a WebHook subscription
// (the only delivery mode the description's REST creation takes) needs real event filters and an
// address that answers the validation handshake — a loopback receiver here; an extension's
// number is digits (RingCentral refuses others, and the mock keeps what a PUT sets); and the fax
// the message operations share must not be purged by a PATCH before its content is read (a
// DELETE only moves it to Deleted).
const BODIES: Record<string, unknown> = {
  updateExtension: { extensionNumber: '101', contact: { firstName: 'Mock', lastName: 'User' } },
  patchMessage: { readStatus: 'Read' },
};
let receiver: Server;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    res.writeHead(200, { 'Validation-Token': String(req.headers['validation-token'] ?? '') });
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  BODIES.createSubscription = {
    eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
    deliveryMode: { transportType: 'WebHook', address: `http://127.0.0.1:${port}/hook` },
  };
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function send(op: OperationInfo, known: Record<string, string> = {}) {
  const built = validRequest(op, t.mock.url, known);
  if (op.id in BODIES) built.body = JSON.stringify(BODIES[op.id]);
  const query = built.query.size > 0 ? `?${built.query}` : '';
  const res = await fetch(`${t.mock.url}${built.path}${query}`, {
    method: op.method,
    headers: { ...t.auth, ...built.headers },
    ...(built.body === undefined ? {} : { body: built.body }),
  });
  const text = await res.text();
  const headers = Object.fromEntries(res.headers);
  return {
    res,
    text,
    built,
    violation: replyViolation(op.method, built.path, { status: res.status, headers, body: text }),
  };
}

describe('every operation of the description', () => {
  it('answers a valid request with its described success status and a schema-valid reply', async () => {
    const failures: string[] = [];
    let walked = 0;
    // A fax first: the operations on a message and its content then name one that exists.
    const fax = allOperations().find((op) => op.id === 'createFaxMessage');
    const sent = JSON.parse((await send(fax as OperationInfo)).text) as {
      id: number;
      attachments: { id: number }[];
    };
    // …and a call record of the call log (its first).
    const known = {
      messageId: String(sent.id),
      attachmentId: String(sent.attachments[0]?.id),
      callRecordId: 'CL000000001',
    };
    for (const op of allOperations()) {
      if (OAUTH.has(op.id)) continue;
      walked++;
      const { res, text, built, violation } = await send(op, known);
      const expected = NOT_FOUND.has(op.id) ? 404 : successResponse(op).status;
      if (res.status !== expected)
        failures.push(`${op.id} ${op.method} ${built.path}: ${res.status} ${text.slice(0, 200)}`);
      else if (violation) failures.push(violation);
    }
    expect(failures).toEqual([]);
    // Every operation but the five OAuth ones, each of which is in the table (515 of 520 today).
    expect(
      allOperations()
        .filter((op) => OAUTH.has(op.id))
        .map((op) => op.id)
        .sort(),
    ).toEqual([...OAUTH].sort());
    expect(walked).toBe(allOperations().length - OAUTH.size);
  }, 120_000);
});

describe('an invalid request gets RingCentral 400 naming the parameter', () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${t.mock.url}${path}`, {
      method,
      headers: { ...t.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const expect400 = async (res: Response, errorCode: string, parameterName?: string) => {
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errorCode).toBe(errorCode);
    expect(body.errors[0].errorCode).toBe(errorCode);
    if (parameterName !== undefined) {
      expect(body.errors[0].parameterName).toBe(parameterName);
      expect(body.message).toContain(`[${parameterName}]`);
    }
  };

  it.each([
    ['path, wrong type', 'GET', '/restapi/v1.0/dictionary/country/abc', 'CMN-101', 'countryId'],
    [
      'path, outside its enum',
      'GET',
      '/restapi/v1.0/account/~/extension/~/profile-image/12x12',
      'CMN-101',
      'scaleSize',
    ],
    [
      'query, missing',
      'GET',
      '/restapi/v1.0/account/~/ms-teams/direct-routing/users',
      'CMN-100',
      'extensionIds',
    ],
    ['query, wrong type', 'GET', '/restapi/v1.0/account/~/extension?perPage=many', 'CMN-101', 'perPage'],
    [
      'query, outside its enum',
      'GET',
      '/restapi/v1.0/account/~/extension?status=Sleeping',
      'CMN-101',
      'status[0]',
    ],
  ])('%s', async (_kind, method, path, code, parameterName) => {
    await expect400(await call(method, path), code, parameterName);
  });

  const subscription = '/restapi/v1.0/subscription';
  const valid = {
    eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
    deliveryMode: { transportType: 'WebHook', address: 'https://example.com/hook' },
  };

  it('body, missing', async () => {
    await expect400(await call('POST', subscription, ''), 'CMN-100', 'body');
  });
  it('body, a missing field', async () => {
    await expect400(
      await call('POST', subscription, { deliveryMode: valid.deliveryMode }),
      'CMN-100',
      'eventFilters',
    );
  });
  it('body, a field of the wrong type', async () => {
    await expect400(
      await call('POST', subscription, { ...valid, eventFilters: 'all' }),
      'CMN-101',
      'eventFilters',
    );
  });
  it('body, a field outside its enum', async () => {
    const deliveryMode = { ...valid.deliveryMode, transportType: 'Pigeon' };
    await expect400(
      await call('POST', subscription, { ...valid, deliveryMode }),
      'CMN-101',
      'deliveryMode.transportType',
    );
  });
  it('body, not JSON', async () => {
    await expect400(await call('POST', subscription, '{"eventFilters":'), 'CMN-103');
  });
});

describe('synthesised replies', () => {
  const get = (path: string) => fetch(`${t.mock.url}${path}`, { headers: t.auth }).then((r) => r.json());

  it('are deterministic: the same resource reads the same twice, another id differs', async () => {
    const a = await get('/restapi/v1.0/account/~/department/7/members');
    expect(await get('/restapi/v1.0/account/~/department/7/members')).toEqual(a);
    expect(await get('/restapi/v1.0/account/~/department/8/members')).not.toEqual(a);
  });

  it('page lists with page and perPage, records and navigation consistent', async () => {
    // Call queues: a list the mock keeps no state for (extensions are the directory's).
    const first = await get('/restapi/v1.0/account/~/call-queues?perPage=10');
    expect(first.records).toHaveLength(10);
    expect(first.paging).toMatchObject({ page: 1, perPage: 10, pageStart: 0, pageEnd: 9 });
    expect(first.navigation.nextPage.uri).toContain('page=2');
    expect(first.navigation.previousPage).toBeUndefined();
    const last = await get(
      new URL(first.navigation.lastPage.uri).pathname + new URL(first.navigation.lastPage.uri).search,
    );
    expect(last.records).toHaveLength(5); // 25 records, 10 a page
    expect(last.paging).toMatchObject({ page: 3, pageStart: 20, pageEnd: 24 });
    expect(last.navigation.nextPage).toBeUndefined();
    const second = await get('/restapi/v1.0/account/~/call-queues?perPage=10&page=2');
    const ids = [...first.records, ...second.records, ...last.records].map((r: { id: unknown }) => r.id);
    expect(ids).toHaveLength(25);
  });

  it('are metered in the described rate-limit group of their operation', async () => {
    const res = await fetch(`${t.mock.url}/restapi/v1.0/account/~/extension?perPage=1`, { headers: t.auth });
    expect(res.headers.get('x-rate-limit-group')).toBe('Medium');
    const light = await fetch(
      `${t.mock.url}/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync`,
      {
        headers: t.auth,
      },
    );
    expect(light.headers.get('x-rate-limit-group')).toBe('Light');
  });

  it('answer 429 once the group is spent, other groups still open', async () => {
    const limited = await startMockServer({ rateLimits: { Heavy: { limit: 2 } } });
    try {
      const headers = { Authorization: `Bearer ${limited.issueToken().access_token}` };
      const active = () => fetch(`${limited.url}/restapi/v1.0/account/~/active-calls`, { headers });
      expect((await active()).status).toBe(200);
      expect((await active()).status).toBe(200);
      const refused = await active();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-rate-limit-group')).toBe('Heavy');
      expect((await refused.json()).errorCode).toBe('CMN-301');
      const other = await fetch(`${limited.url}/restapi/v1.0/account/~/extension`, { headers });
      expect(other.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
