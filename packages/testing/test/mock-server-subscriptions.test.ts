import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';
import { body, closeSockets, connect, meta, wsToken } from './ws-client.js';

// The one subscription resource of the mock: WebSocket and WebHook subscriptions are created,
// listed, read, renewed and deleted through it alike (one list per extension, as on RingCentral);
// each delivery mode delivers only to its own subscriptions.

const EVENT = '/restapi/v1.0/account/~/extension/~/message-store';
let mock: MockServer;
let receiver: Server;
let hookUrl: string;
const delivered: unknown[] = [];

beforeEach(async () => {
  mock = await startMockServer({ webhooks: { retryDelaysMs: [] } });
  delivered.length = 0;
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const token = req.headers['validation-token'];
      if (token === undefined) delivered.push(JSON.parse(text));
      res.writeHead(200, token === undefined ? {} : { 'Validation-Token': String(token) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  closeSockets();
  await mock.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function rest(method: string, path: string, json?: unknown) {
  const res = await fetch(`${mock.url}/restapi/v1.0/subscription${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${mock.issueToken().access_token}`,
      'Content-Type': 'application/json',
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const group = res.headers.get('x-rate-limit-group');
  return { status: res.status, group, body: res.status === 204 ? undefined : await res.json() };
}

/** A socket with one WebSocket subscription made over it. */
async function socketSubscription() {
  const token = await wsToken(mock);
  const socket = connect(`${token.uri}?access_token=${token.ws_access_token}`);
  await socket.next();
  const request = (messageId: string, method: string, path: string, json?: unknown) => {
    socket.send([{ type: 'ClientRequest', messageId, method, path }, json]);
    return socket.next();
  };
  const reply = await request('c', 'POST', '/restapi/v1.0/subscription', {
    eventFilters: [EVENT],
    deliveryMode: { transportType: 'WebSocket' },
  });
  expect(meta(reply).status).toBe(200);
  return { socket, request, id: body(reply).id as string };
}

const createHook = () =>
  rest('POST', '', { eventFilters: [EVENT], deliveryMode: { transportType: 'WebHook', address: hookUrl } });

describe('the subscription resource', () => {
  it('lists, reads, renews and deletes WebSocket and WebHook subscriptions alike', async () => {
    const { socket, id: wsId } = await socketSubscription();
    const created = await createHook();
    expect(created).toMatchObject({ status: 200, group: 'Medium' });
    const hookId = created.body.id as string;

    const list = await rest('GET', '');
    expect(list.group).toBe('Light');
    const modes = Object.fromEntries(
      list.body.records.map((r: { id: string; deliveryMode: { transportType: string } }) => [
        r.id,
        r.deliveryMode.transportType,
      ]),
    );
    expect(modes).toEqual({ [wsId]: 'WebSocket', [hookId]: 'WebHook' });

    for (const id of [wsId, hookId]) {
      expect(await rest('GET', `/${id}`)).toMatchObject({ status: 200, group: 'Light', body: { id } });
      expect(await rest('POST', `/${id}/renew`)).toMatchObject({ status: 200, group: 'Light' });
      expect(await rest('PUT', `/${id}`, { eventFilters: [EVENT] })).toMatchObject({
        status: 200,
        group: 'Medium',
      });
    }
    expect((await rest('GET', `/${hookId}`)).body.deliveryMode).toMatchObject({ address: hookUrl });

    // Each delivery mode delivers to its own subscriptions only: one frame, one POST.
    expect(mock.notify(EVENT, { n: 1 })).toBe(2);
    expect(body(await socket.next())).toMatchObject({ subscriptionId: wsId, body: { n: 1 } });
    await expect.poll(() => delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ subscriptionId: hookId, body: { n: 1 } });
    expect(mock.webhooks.stats).toMatchObject({ created: 1, renewed: 2, deliveries: 1 });

    for (const id of [wsId, hookId]) expect((await rest('DELETE', `/${id}`)).status).toBe(204);
    expect((await rest('GET', '')).body.records).toEqual([]);
    expect(mock.notify(EVENT, {})).toBe(0);
    expect(mock.webhooks.stats.deleted).toBe(1);
  });

  it('over its socket, a session sees only its own WebSocket subscriptions', async () => {
    const { request, id: wsId } = await socketSubscription();
    const hookId = (await createHook()).body.id as string;
    const list = await request('l', 'GET', '/restapi/v1.0/subscription');
    expect(body(list).records.map((r: { id: string }) => r.id)).toEqual([wsId]);
    const hook = await request('h', 'GET', `/restapi/v1.0/subscription/${hookId}`);
    expect(meta(hook).status).toBe(404);
    const renewed = await request('r', 'POST', `/restapi/v1.0/subscription/${wsId}/renew`);
    expect(meta(renewed).status).toBe(200);
    const other = await socketSubscription();
    expect(meta(await other.request('o', 'GET', `/restapi/v1.0/subscription/${wsId}`)).status).toBe(404);
  });

  it('a WebHook is created over HTTP only, a WebSocket subscription over its socket only', async () => {
    const { request } = await socketSubscription();
    const overSocket = await request('w', 'POST', '/restapi/v1.0/subscription', {
      eventFilters: [EVENT],
      deliveryMode: { transportType: 'WebHook', address: hookUrl },
    });
    expect(meta(overSocket).status).toBe(400);
    expect(body(overSocket).errors[0]).toMatchObject({ parameterName: 'deliveryMode.transportType' });
    const overHttp = await rest('POST', '', {
      eventFilters: [EVENT],
      deliveryMode: { transportType: 'WebSocket' },
    });
    expect(overHttp.status).toBe(400);
    expect(mock.webhooks.stats.created).toBe(0);
  });
});
