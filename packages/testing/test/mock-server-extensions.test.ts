import { multipartBoundary, parseMultipart } from '@rc/core/multipart';
import { afterEach, describe, expect, it } from 'vitest';
import { withMock } from './with-mock.js';
import { body, closeSockets, meta, subscribedSocket } from './ws-client.js';

// Extensions and presence are state of the mock, one source for every route: the list, a record
// by id (`~` or its number), presence single and batched, and what a PUT changed, read back.

const ACCOUNT = '/restapi/v1.0/account/~';
const t = withMock({ directorySize: 12 });
afterEach(closeSockets);

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(path.startsWith('http') ? path : `${t.mock.url}${path}`, {
    method,
    headers: { ...t.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
};
const get = (path: string) => call('GET', path);

describe('extensions', () => {
  it('lists the users and the directory, paged; each listed record reads back by its own uri', async () => {
    const first = await get(`${ACCOUNT}/extension?perPage=5`);
    expect(first.status).toBe(200);
    expect(first.body.paging).toMatchObject({ page: 1, perPage: 5, totalElements: 12, totalPages: 3 });
    expect(first.body.records[0]).toMatchObject({ id: 101, extensionNumber: '101', name: 'Mock User' });
    const ids: number[] = [];
    for (let page = first.body; ; page = (await get(page.navigation.nextPage.uri)).body) {
      for (const record of page.records) {
        ids.push(record.id);
        const byUri = await get(record.uri);
        expect(byUri.status).toBe(200);
        expect(byUri.body).toMatchObject({
          id: record.id,
          name: record.name,
          extensionNumber: record.extensionNumber,
        });
      }
      if (!page.navigation.nextPage) break;
    }
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => 101 + i));
  });

  it('reads ~ and the numeric id alike, another extension of the account too; an unknown id is not found', async () => {
    const mine = await get(`${ACCOUNT}/extension/~`);
    expect(await get(`${ACCOUNT}/extension/101`)).toEqual(mine);
    expect(mine.body).toMatchObject({ id: 101, name: 'Mock User', account: { id: '1' } });
    const other = await get(`${ACCOUNT}/extension/102`);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ id: 102, extensionNumber: '102', type: 'User', status: 'Enabled' });
    expect((await get(`${ACCOUNT}/extension/102/presence`)).body).toMatchObject({ extension: { id: 102 } });
    for (const path of [`${ACCOUNT}/extension/999`, `${ACCOUNT}/extension/999/presence`]) {
      const missing = await get(path);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        errorCode: 'CMN-102',
        message: 'Resource for parameter [extensionId] is not found',
        errors: [
          {
            errorCode: 'CMN-102',
            message: 'Resource for parameter [extensionId] is not found',
            parameterName: 'extensionId',
          },
        ],
      });
    }
  });

  it('keeps a PUT to the extension: the record, the list and the next read agree', async () => {
    const put = await call('PUT', `${ACCOUNT}/extension/~`, {
      contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      status: 'Disabled',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: 101,
      name: 'Ada Lovelace',
      status: 'Disabled',
      contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    });
    expect((await get(`${ACCOUNT}/extension/101`)).body).toEqual(put.body);
    const listed = (await get(`${ACCOUNT}/extension?perPage=1`)).body.records[0];
    expect(listed).toMatchObject({ id: 101, name: 'Ada Lovelace', status: 'Disabled' });
    expect(
      (await get(`${ACCOUNT}/extension?status=Disabled`)).body.records.map((r: { id: number }) => r.id),
    ).toEqual([101]);
  });
});

describe('presence', () => {
  it('keeps a PUT: read back single and in a batch', async () => {
    const put = await call('PUT', `${ACCOUNT}/extension/~/presence`, {
      userStatus: 'Busy',
      dndStatus: 'DoNotAcceptAnyCalls',
      message: 'in a meeting',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      userStatus: 'Busy',
      dndStatus: 'DoNotAcceptAnyCalls',
      presenceStatus: 'Busy',
      message: 'in a meeting',
      extension: { id: 101 },
    });
    expect((await get(`${ACCOUNT}/extension/101/presence`)).body).toEqual(put.body);
    const batch = await fetch(`${t.mock.url}${ACCOUNT}/extension/101,102/presence`, { headers: t.auth });
    expect(batch.status).toBe(207);
    const parts = parseMultipart(
      new Uint8Array(await batch.arrayBuffer()),
      multipartBoundary(batch.headers.get('content-type') ?? '') ?? '',
    ).map((p) => JSON.parse(new TextDecoder().decode(p.body)));
    expect(parts[1]).toEqual(put.body);
    expect(parts[2]).toMatchObject({ extension: { id: 102 }, userStatus: 'Available' }); // untouched
  });

  it('a PUT reaches a WebSocket subscriber of that presence', async () => {
    const socket = await subscribedSocket(t.mock, [
      `${ACCOUNT}/extension/~/presence?detailedTelephonyState=true`,
    ]);
    await call('PUT', `${ACCOUNT}/extension/~/presence`, { userStatus: 'Offline' });
    const frame = await socket.next();
    expect(meta(frame)).toMatchObject({ type: 'ServerNotification' });
    expect(body(frame)).toMatchObject({
      event: '/restapi/v1.0/account/1/extension/101/presence',
      body: { extensionId: '101', userStatus: 'Offline', presenceStatus: 'Offline' },
    });
  });

  it('the account presence pages the same records, what a PUT changed included', async () => {
    const put = await call('PUT', `${ACCOUNT}/extension/~/presence`, { userStatus: 'Busy' });
    const first = await get(`${ACCOUNT}/presence?perPage=10`);
    expect(first.status).toBe(200);
    expect(first.body.paging).toMatchObject({ page: 1, perPage: 10, totalElements: 12 });
    expect(first.body.records[0]).toEqual(put.body);
    expect(first.body.records[1]).toEqual((await get(`${ACCOUNT}/extension/102/presence`)).body);
    const second = await get(first.body.navigation.nextPage.uri);
    expect(second.body.records.map((r: { extension: { id: number } }) => r.extension.id)).toEqual([111, 112]);
  });
});
