import { createHash } from 'node:crypto';
import { multipartBoundary, parseMultipart } from '@rc/core/multipart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

let mock: MockServer;
let auth: { Authorization: string };
beforeAll(async () => {
  mock = await startMockServer({ callLogSize: 25, chatCount: 7, directorySize: 50 });
  auth = { Authorization: `Bearer ${mock.issueToken().access_token}` };
});
afterAll(() => mock.close());

const get = (path: string) => fetch(path.startsWith('http') ? path : `${mock.url}${path}`, { headers: auth });
const CALL_LOG = '/restapi/v1.0/account/~/extension/~/call-log';

describe('mock lists, batches, uploads', () => {
  it('call log: page-numbered, absolute navigation URIs keeping the query, Heavy group', async () => {
    const res = await get(`${CALL_LOG}?perPage=10&page=2&view=Simple`);
    expect(res.headers.get('x-rate-limit-group')).toBe('Heavy');
    const page = await res.json();
    expect(page.records).toHaveLength(10);
    expect(page.records[0]).toMatchObject({ id: 'CL000000011', type: 'Voice', action: 'Phone Call' });
    expect(page.paging).toEqual({
      page: 2,
      perPage: 10,
      totalPages: 3,
      totalElements: 25,
      pageStart: 10,
      pageEnd: 19,
    });
    expect(page.navigation.nextPage.uri).toBe(`${mock.url}${CALL_LOG}?perPage=10&page=3&view=Simple`);
    expect(page.navigation.previousPage.uri).toContain('page=1');
    expect(page.navigation.firstPage.uri).toContain('page=1');
    expect(page.navigation.lastPage.uri).toContain('page=3');
    const last = await (await get(page.navigation.nextPage.uri)).json();
    expect(last.records).toHaveLength(5);
    expect(last.navigation.nextPage).toBeUndefined();
    expect((await get(`${CALL_LOG}?perPage=1001`)).status).toBe(400);
    expect((await get(`${CALL_LOG}?page=0`)).status).toBe(400);
    expect((await get('/restapi/v1.0/account/~/call-log')).status).toBe(200);
  });

  it('the list sizes can be changed while the server runs', async () => {
    mock.setListSizes({ callLog: 3 });
    expect((await (await get(CALL_LOG)).json()).paging.totalElements).toBe(3);
    mock.setListSizes({ callLog: 25 });
    expect(() => mock.setListSizes({ chats: -1 })).toThrow(/chats/);
  });

  it('Team Messaging chats: token paging, forged tokens refused', async () => {
    const first = await (await get('/team-messaging/v1/chats?recordCount=5')).json();
    expect(first.records).toHaveLength(5);
    expect(first.navigation.prevPageToken).toBeUndefined();
    const second = await (
      await get(`/team-messaging/v1/chats?recordCount=5&pageToken=${first.navigation.nextPageToken}`)
    ).json();
    expect(second.records.map((c: { name: string }) => c.name)).toEqual(['Team 6', 'Team 7']);
    expect(second.navigation.nextPageToken).toBeUndefined();
    expect(second.navigation.prevPageToken).toBeDefined();
    expect((await get('/team-messaging/v1/chats?pageToken=forged')).status).toBe(400);
    expect((await fetch(`${mock.url}/team-messaging/v1/chats`)).status).toBe(401);
  });

  it('presence: plain JSON for one id, 207 multipart/mixed with a per-part 404 for several, >30 refused', async () => {
    const one = await get('/restapi/v1.0/account/~/extension/121/presence');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ extension: { id: 121 }, presenceStatus: 'Available' });
    expect((await get('/restapi/v1.0/account/~/extension/151/presence')).status).toBe(404);

    const batch = await get('/restapi/v1.0/account/~/extension/101,999,105/presence');
    expect(batch.status).toBe(207);
    const boundary = multipartBoundary(batch.headers.get('content-type'));
    expect(boundary).toMatch(/^Boundary_/);
    const parts = parseMultipart(new Uint8Array(await batch.arrayBuffer()), boundary!);
    const json = parts.map((p) => JSON.parse(new TextDecoder().decode(p.body)));
    expect(json[0].response.map((r: { status: number }) => r.status)).toEqual([200, 404, 200]);
    expect(json[0].response[1].href).toBe(`${mock.url}/restapi/v1.0/account/1/extension/999/presence`);
    expect(json[2]).toMatchObject({ errorCode: 'CMN-102' });
    expect(json[3]).toMatchObject({ extension: { id: 105 } });

    const ids = Array.from({ length: 31 }, (_, i) => 101 + i).join(',');
    const refused = await get(`/restapi/v1.0/account/~/extension/${ids}/presence`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errorCode: 'CMN-101' });
  });

  it('fax: multipart upload echoed with size and sha256, then the content downloaded', async () => {
    const bytes = new Uint8Array([1, 2, 3, 0, 255]);
    const form = new FormData();
    form.append(
      'json',
      new Blob([JSON.stringify({ to: [{ phoneNumber: '+1' }] })], { type: 'application/json' }),
    );
    form.append('attachment', new Blob([bytes], { type: 'image/png' }), 'x.png');
    const res = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~/fax`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(res.status).toBe(200);
    const fax = await res.json();
    expect(fax.attachments[0]).toMatchObject({
      contentType: 'image/png',
      size: 5,
      fileName: 'x.png',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    const content = await get(fax.attachments[0].uri);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.headers.get('content-length')).toBe('5');
    expect([...new Uint8Array(await content.arrayBuffer())]).toEqual([...bytes]);
    expect((await get(`/restapi/v1.0/account/~/extension/~/message-store/${fax.id}/content/1`)).status).toBe(
      404,
    );
    const broken = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~/fax`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nContent-Type: application/json\r\n\r\n{}',
    });
    expect(broken.status).toBe(400);
  });
});
