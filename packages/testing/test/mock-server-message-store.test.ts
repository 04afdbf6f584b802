import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../src/index.js';
import { withMock } from './with-mock.js';
import { body, closeSockets, meta, subscribedSocket } from './ws-client.js';

// The message store is stateful and consistent across calls: what is sent is read back by id (the
// send's own `uri`), in the list with RingCentral's filters and paging, and announced to the
// sender's message-store subscribers.

const STORE = '/restapi/v1.0/account/~/extension/~/message-store';
const t = withMock();
afterEach(closeSockets);

const get = async (pathOrUrl: string) => {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${t.mock.url}${pathOrUrl}`, {
    headers: t.auth,
  });
  return { status: res.status, body: await res.json() };
};
const sms = async (text: string) => {
  const res = await fetch(`${t.mock.url}/restapi/v1.0/account/~/extension/~/sms`, {
    method: 'POST',
    headers: { ...t.auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      from: { phoneNumber: t.mock.user.username },
      to: [{ phoneNumber: '+16505550199' }],
      text,
    }),
  });
  expect(res.status).toBe(200);
  return res.json();
};
const send = async (method: string, path: string, json?: unknown) => {
  const res = await fetch(`${t.mock.url}${path}`, {
    method,
    headers: { ...t.auth, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
};
const fax = async () => {
  const form = new FormData();
  form.append(
    'json',
    new Blob([JSON.stringify({ to: [{ phoneNumber: '+16505550198' }] })], { type: 'application/json' }),
  );
  form.append('attachment', new Blob(['page one'], { type: 'text/plain' }), 'page.txt');
  const res = await fetch(`${t.mock.url}/restapi/v1.0/account/~/extension/~/fax`, {
    method: 'POST',
    headers: t.auth,
    body: form,
  });
  expect(res.status).toBe(200);
  return res.json();
};

/** A mock of its own with two users (101 and 102), for what one may not see of the other's. */
const twoUsers = () =>
  startMockServer({
    users: [
      { id: '101', username: '+16505550100', password: 'p', name: 'One' },
      { id: '102', username: '+16505550102', password: 'p', name: 'Two' },
    ],
  });

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
    const content = await fetch(sent.attachments[0].uri, { headers: t.auth });
    expect(await content.text()).toBe('page one');
    const faxes = await get(`${STORE}?messageType=Fax`);
    expect(faxes.body.records.map((r: { id: number }) => r.id)).toEqual([sent.id]);
    const texts = await get(`${STORE}?messageType=SMS`);
    expect(texts.body.records).toEqual([]);
  });

  it('a fax re-sent with JSON (originalMessageId) is a new fax with the same pages; an unknown id is not found', async () => {
    const sent = await fax();
    const resend = (body: unknown) =>
      fetch(`${t.mock.url}/restapi/v1.0/account/~/extension/~/fax`, {
        method: 'POST',
        headers: { ...t.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await resend({ originalMessageId: String(sent.id) });
    expect(res.status).toBe(200);
    const again = await res.json();
    expect(again.id).not.toBe(sent.id);
    expect(again.to).toEqual(sent.to);
    expect(await (await fetch(again.attachments[0].uri, { headers: t.auth })).text()).toBe('page one');
    const missing = await resend({ originalMessageId: '8999999999' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).errors[0]).toMatchObject({
      errorCode: 'CMN-102',
      parameterName: 'originalMessageId',
    });
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

  it("keeps each user's fax content apart: another user's attachment is not found", async () => {
    const users = await twoUsers();
    try {
      const as = (userId: string) => ({
        Authorization: `Bearer ${users.issueToken({ userId }).access_token}`,
      });
      const form = new FormData();
      form.append(
        'json',
        new Blob([JSON.stringify({ to: [{ phoneNumber: '+16505550198' }] })], { type: 'application/json' }),
      );
      form.append('attachment', new Blob(['page one'], { type: 'text/plain' }), 'page.txt');
      const sent = await fetch(`${users.url}/restapi/v1.0/account/~/extension/~/fax`, {
        method: 'POST',
        headers: as('101'),
        body: form,
      }).then((r) => r.json());
      // Through `~` (the caller's own extension), not the owner's id, which is refused as another's.
      const path = new URL(sent.attachments[0].uri).pathname.replace(
        /\/account\/[^/]+\/extension\/[^/]+\//,
        '/account/~/extension/~/',
      );
      expect(path).toMatch(/\/extension\/~\/message-store\/\d+\/content\//);
      const read = (userId: string) => fetch(`${users.url}${path}`, { headers: as(userId) });
      expect((await read('101')).status).toBe(200);
      const foreign = await read('102');
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).not.toContain('page one');
    } finally {
      await users.close();
    }
  });

  it("keeps each user's messages apart", async () => {
    const sent = await sms('mine');
    const users = await twoUsers();
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
    const token = await fetch(`${t.mock.url}/restapi/oauth/wstoken`, {
      method: 'POST',
      headers: t.auth,
    }).then((r) => r.json());
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
      expect(body.event).toBe(`/restapi/v1.0/account/1/extension/${t.mock.user.id}/message-store`);
      expect(body.body.changes).toEqual([
        { type: 'SMS', newCount: 1, updatedCount: 0, newMessageIds: [sent.id] },
      ]);
    } finally {
      ws.close();
    }
  });

  it('a fax sent reaches a WebSocket subscriber of the message store as a notification', async () => {
    const socket = await subscribedSocket(t.mock, [STORE]);
    const sent = await fax();
    const frame = await socket.next();
    expect(meta(frame)).toMatchObject({ type: 'ServerNotification' });
    expect(body(frame)).toMatchObject({
      event: `/restapi/v1.0/account/1/extension/${t.mock.user.id}/message-store`,
      body: { changes: [{ type: 'Fax', newCount: 1, updatedCount: 0, newMessageIds: [sent.id] }] },
    });
  });

  it('a fax sent reaches a WebHook subscriber of the message store', async () => {
    const deliveries: unknown[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (text) deliveries.push(JSON.parse(text));
        res.writeHead(200, { 'Validation-Token': String(req.headers['validation-token'] ?? '') });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const created = await send('POST', '/restapi/v1.0/subscription', {
        eventFilters: [STORE],
        deliveryMode: { transportType: 'WebHook', address },
      });
      expect(created.status).toBe(200);
      const sent = await fax();
      await expect.poll(() => deliveries.length).toBe(1);
      expect(deliveries[0]).toMatchObject({
        subscriptionId: created.body.id,
        body: { changes: [{ type: 'Fax', newCount: 1, newMessageIds: [sent.id] }] },
      });
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('keeps a PUT of readStatus: read by id, in the list and its filter, announced as an update', async () => {
    const sent = await sms('read me later');
    const socket = await subscribedSocket(t.mock, [STORE]);
    const put = await send('PUT', `${STORE}/${sent.id}`, { readStatus: 'Unread' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: sent.id, readStatus: 'Unread' });
    expect((await get(sent.uri)).body).toMatchObject({ readStatus: 'Unread' });
    const unread = await get(`${STORE}?readStatus=Unread`);
    expect(unread.body.records.map((r: { id: number }) => r.id)).toEqual([sent.id]);
    expect(body(await socket.next()).body.changes).toEqual([{ type: 'SMS', newCount: 0, updatedCount: 1 }]);
    const bad = await send('PUT', `${STORE}/${sent.id}`, { readStatus: 'Skimmed' });
    expect(bad.status).toBe(400);
    expect((await send('PUT', `${STORE}/8999999999`, { readStatus: 'Read' })).status).toBe(404);
  });

  it('DELETE moves a message to Deleted, a second one purges it; purge=true purges at once', async () => {
    const sent = await fax();
    expect((await send('DELETE', `${STORE}/${sent.id}`)).status).toBe(204);
    const deleted = await get(sent.uri);
    expect(deleted).toMatchObject({ status: 200, body: { id: sent.id, availability: 'Deleted' } });
    // The list shows live messages unless asked for others.
    expect((await get(STORE)).body.records).toEqual([]);
    const bin = await get(`${STORE}?availability=Deleted`);
    expect(bin.body.records.map((r: { id: number }) => r.id)).toEqual([sent.id]);
    expect((await send('DELETE', `${STORE}/${sent.id}`)).status).toBe(204);
    expect((await get(sent.uri)).status).toBe(404);
    expect((await fetch(sent.attachments[0].uri, { headers: t.auth })).status).toBe(404);
    expect((await send('DELETE', `${STORE}/${sent.id}`)).status).toBe(404);

    const other = await sms('gone at once');
    expect((await send('DELETE', `${STORE}/${other.id}?purge=true`)).status).toBe(204);
    expect((await get(other.uri)).status).toBe(404);
  });
});
