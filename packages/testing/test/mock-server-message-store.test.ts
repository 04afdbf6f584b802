import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

// The message store is stateful and consistent across calls: what is sent is read back by id (the
// send's own `uri`), in the list with RingCentral's filters and paging, and announced to the
// sender's message-store subscribers.

const STORE = '/restapi/v1.0/account/~/extension/~/message-store';
let mock: MockServer;
let auth: { Authorization: string };
beforeEach(async () => {
  mock = await startMockServer();
  auth = { Authorization: `Bearer ${mock.issueToken().access_token}` };
});
afterEach(() => mock.close());

const get = async (pathOrUrl: string) => {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${mock.url}${pathOrUrl}`, {
    headers: auth,
  });
  return { status: res.status, body: await res.json() };
};
const sms = async (text: string) => {
  const res = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~/sms`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      from: { phoneNumber: mock.user.username },
      to: [{ phoneNumber: '+16505550199' }],
      text,
    }),
  });
  expect(res.status).toBe(200);
  return res.json();
};
const fax = async () => {
  const form = new FormData();
  form.append(
    'json',
    new Blob([JSON.stringify({ to: [{ phoneNumber: '+16505550198' }] })], { type: 'application/json' }),
  );
  form.append('attachment', new Blob(['page one'], { type: 'text/plain' }), 'page.txt');
  const res = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~/fax`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  expect(res.status).toBe(200);
  return res.json();
};

describe('message store', () => {
  it('an SMS sent is read back by its own uri and is first in the list', async () => {
    const sent = await sms('hello');
    const byId = await get(sent.uri);
    expect(byId).toEqual({
      status: 200,
      body: { ...sent, vmSideRecipients: [{ phoneNumber: '+16505550199' }] },
    });
    const list = await get(STORE);
    expect(list.status).toBe(200);
    expect(list.body.records[0]).toEqual(sent);
    expect(list.body.paging).toMatchObject({ page: 1, totalElements: 1 });
  });

  it("a fax sent is read back by its reply's uri, and its attachment by the attachment's uri", async () => {
    const sent = await fax();
    expect(await get(sent.uri)).toMatchObject({ status: 200, body: sent });
    const content = await fetch(sent.attachments[0].uri, { headers: auth });
    expect(await content.text()).toBe('page one');
    const faxes = await get(`${STORE}?messageType=Fax`);
    expect(faxes.body.records.map((r: { id: number }) => r.id)).toEqual([sent.id]);
    const texts = await get(`${STORE}?messageType=SMS`);
    expect(texts.body.records).toEqual([]);
  });

  it('pages with page and perPage, newest first, navigation following', async () => {
    const sent = [await sms('one'), await sms('two'), await sms('three')];
    const first = await get(`${STORE}?perPage=2`);
    expect(first.body.records.map((r: { id: number }) => r.id)).toEqual([sent[2].id, sent[1].id]);
    const second = await get(first.body.navigation.nextPage.uri);
    expect(second.body.records.map((r: { id: number }) => r.id)).toEqual([sent[0].id]);
    expect(second.body.navigation.nextPage).toBeUndefined();
  });

  it('answers 404 naming messageId for an id it does not hold, and 400 for a bad filter', async () => {
    const missing = await get(`${STORE}/8999999999`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'messageId' });
    const bad = await get(`${STORE}?messageType=Carrier-Pigeon`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ errorCode: 'CMN-101' });
  });

  it("keeps each user's messages apart", async () => {
    const sent = await sms('mine');
    const users = await startMockServer({
      users: [
        { id: '101', username: '+16505550100', password: 'p', name: 'One' },
        { id: '102', username: '+16505550102', password: 'p', name: 'Two' },
      ],
    });
    try {
      const as = (userId: string) => ({
        Authorization: `Bearer ${users.issueToken({ userId }).access_token}`,
      });
      const one = as('101');
      await fetch(`${users.url}/restapi/v1.0/account/~/extension/~/sms`, {
        method: 'POST',
        headers: { ...one, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          from: { phoneNumber: '+16505550100' },
          to: [{ phoneNumber: '+16505550199' }],
          text: 'hi',
        }),
      });
      const list = (h: Record<string, string>) =>
        fetch(`${users.url}${STORE}`, { headers: h }).then((r) => r.json());
      expect((await list(one)).records).toHaveLength(1);
      expect((await list(as('102'))).records).toEqual([]);
      // Another user's message id is not found, not shown.
      const foreign = await fetch(`${users.url}${STORE}/${(await list(one)).records[0].id}`, {
        headers: as('102'),
      });
      expect(foreign.status).toBe(404);
    } finally {
      await users.close();
    }
    expect((await get(STORE)).body.records.map((r: { id: number }) => r.id)).toEqual([sent.id]);
  });

  it('an SMS sent reaches a WebSocket subscriber of the message store as a notification', async () => {
    const token = await fetch(`${mock.url}/restapi/oauth/wstoken`, { method: 'POST', headers: auth }).then(
      (r) => r.json(),
    );
    const ws = new WebSocket(`${token.uri}?access_token=${token.ws_access_token}`);
    const frames: unknown[][] = [];
    const arrived = (type: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} frame within 3 s`)), 3_000);
        const check = () => {
          const found = frames.find((f) => (f[0] as { type?: string }).type === type);
          if (found) {
            clearTimeout(timer);
            frames.splice(frames.indexOf(found), 1);
            resolve(found);
          } else setTimeout(check, 5);
        };
        check();
      });
    ws.addEventListener('message', (e) => frames.push(JSON.parse(String(e.data)) as unknown[]));
    try {
      await arrived('ConnectionDetails');
      ws.send(
        JSON.stringify([
          { type: 'ClientRequest', messageId: 'm1', method: 'POST', path: '/restapi/v1.0/subscription/' },
          { eventFilters: [STORE], deliveryMode: { transportType: 'WebSocket' } },
        ]),
      );
      expect((await arrived('ClientRequest'))[0]).toMatchObject({ status: 200 });
      const sent = await sms('notify me');
      const [, body] = (await arrived('ServerNotification')) as [
        unknown,
        { event: string; body: { changes: unknown[] } },
      ];
      expect(body.event).toBe(`/restapi/v1.0/account/1/extension/${mock.user.id}/message-store`);
      expect(body.body.changes).toEqual([
        { type: 'SMS', newCount: 1, updatedCount: 0, newMessageIds: [sent.id] },
      ]);
    } finally {
      ws.close();
    }
  });
});
