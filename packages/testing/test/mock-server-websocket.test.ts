import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';
import { body, closeSockets, connect, meta, wsToken } from './ws-client.js';

// The WebSocket gateway of the mock server, driven with the runtime's own WebSocket and raw
// frames: wstoken, ConnectionDetails, subscriptions over the socket, notifications, heartbeats,
// idle timeout, recovery (and its refusal), and the controls.

const EVENT = '/restapi/v1.0/account/~/extension/~/message-store';
let mock: MockServer;

beforeEach(async () => {
  mock = await startMockServer({ webSocket: { recoveryTimeoutSec: 2, idleTimeoutSec: 0.4 } });
});
afterEach(async () => {
  closeSockets();
  await mock.close();
});

async function subscribed(url: string) {
  const socket = connect(url);
  const details = await socket.next();
  socket.send([
    { type: 'ClientRequest', messageId: 'm1', method: 'POST', path: '/restapi/v1.0/subscription/' },
    { eventFilters: [EVENT], deliveryMode: { transportType: 'WebSocket' } },
  ]);
  const reply = await socket.next();
  return { socket, details, reply };
}

describe('mock WebSocket gateway', () => {
  it('wstoken needs a Bearer token', async () => {
    const res = await fetch(`${mock.url}/restapi/oauth/wstoken`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('TokenInvalid');
  });

  it('an unknown ws_access_token gets an Error frame and a close', async () => {
    const { uri } = await wsToken(mock);
    const socket = connect(`${uri}?access_token=nope`);
    const frame = await socket.next();
    expect(meta(frame)).toMatchObject({ type: 'Error', status: 401 });
    await expect.poll(() => socket.closed?.code).toBe(1008);
  });

  it('ConnectionDetails first, then a subscription over the socket, then notifications with wsc', async () => {
    const token = await wsToken(mock);
    expect(token.uri).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(token.expires_in).toBe(60);
    const { socket, details, reply } = await subscribed(`${token.uri}?access_token=${token.ws_access_token}`);
    expect(meta(details)).toMatchObject({ type: 'ConnectionDetails', status: 200, wsc: { sequence: 0 } });
    expect(body(details)).toMatchObject({ recoveryTimeout: 2, idleTimeout: 0.4, absoluteTimeout: 86400 });
    expect(body(details).recoveryState).toBeUndefined();
    expect(meta(reply)).toMatchObject({ type: 'ClientRequest', messageId: 'm1', status: 200 });
    expect(body(reply)).toMatchObject({
      status: 'Active',
      eventFilters: [EVENT],
      deliveryMode: { transportType: 'WebSocket' },
    });
    expect(mock.notify('/restapi/v1.0/account/~/extension/~/presence', {})).toBe(0);
    expect(mock.notify(EVENT, { hello: 1 })).toBe(1);
    const n = await socket.next();
    expect(meta(n)).toMatchObject({ type: 'ServerNotification', wsc: { sequence: 1 } });
    expect(body(n)).toMatchObject({
      event: '/restapi/v1.0/account/1/extension/101/message-store',
      subscriptionId: body(reply).id,
      ownerId: '101',
      body: { hello: 1 },
    });
    expect(typeof body(n).uuid).toBe('string');
    expect(mock.stats.webSocket).toMatchObject({
      tokens: 1,
      connections: 1,
      open: 1,
      subscriptions: 1,
      notifications: 1,
    });
  });

  it('the REST subscription resource lists, reads, renews, updates and deletes the socket subscriptions', async () => {
    const token = await wsToken(mock);
    const { socket, reply } = await subscribed(`${token.uri}?access_token=${token.ws_access_token}`);
    const id = body(reply).id as string;
    const headers = {
      Authorization: `Bearer ${mock.issueToken().access_token}`,
      'Content-Type': 'application/json',
    };
    const rest = async (method: string, path: string, json?: unknown) => {
      const res = await fetch(`${mock.url}/restapi/v1.0/subscription${path}`, {
        method,
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    };
    const list = await rest('GET', '');
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await rest('GET', `/${id}`)).body).toMatchObject({ id, eventFilters: [EVENT], status: 'Active' });
    mock.advanceTime(600_000);
    const renewed = await rest('POST', `/${id}/renew`);
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expirationTime)).toBeGreaterThan(Date.parse(body(reply).expirationTime));
    const presence = '/restapi/v1.0/account/~/extension/~/presence';
    const updated = await rest('PUT', `/${id}`, { eventFilters: [presence] });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.eventFilters).toEqual([presence]);
    expect(mock.notify(EVENT, {})).toBe(0);
    expect(mock.notify(presence, { p: 1 })).toBe(1);
    expect(body(await socket.next())).toMatchObject({ subscriptionId: id, body: { p: 1 } });
    expect((await rest('DELETE', `/${id}`)).status).toBe(204);
    expect(mock.notify(presence, {})).toBe(0);
    const gone = await rest('GET', `/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'subscriptionId' });
    expect((await rest('GET', '')).body.records).toEqual([]);
  });

  it('answers heartbeats; closes a connection idle for idleTimeout', async () => {
    const token = await wsToken(mock);
    const socket = connect(`${token.uri}?access_token=${token.ws_access_token}`);
    await socket.next();
    socket.send([{ type: 'Heartbeat', messageId: 'h1' }]);
    expect(meta(await socket.next())).toMatchObject({ type: 'Heartbeat', messageId: 'h1' });
    await expect.poll(() => socket.closed?.code, { timeout: 2_000 }).toBe(1000);
    expect(mock.stats.webSocket.heartbeats).toBe(1);
  });

  it('recovery with the wsc token replays what was missed; a refused one fails', async () => {
    const token = await wsToken(mock);
    const url = `${token.uri}?access_token=${token.ws_access_token}`;
    const { socket } = await subscribed(url);
    mock.notify(EVENT, { n: 1 });
    const first = await socket.next();
    expect(mock.webSocket.drop()).toBe(1);
    await expect.poll(() => socket.closed).toBeDefined();
    mock.notify(EVENT, { n: 2 });
    mock.notify(EVENT, { n: 3 });
    const again = connect(`${url}&wsc=${meta(first).wsc.token}`);
    expect(body(await again.next())).toMatchObject({ recoveryState: 'Successful' });
    expect([body(await again.next()).body, body(await again.next()).body]).toEqual([{ n: 2 }, { n: 3 }]);
    mock.webSocket.refuseRecovery();
    mock.webSocket.drop();
    const refused = connect(`${url}&wsc=${meta(first).wsc.token}`);
    expect(body(await refused.next())).toMatchObject({
      recoveryState: 'Failed',
      recoveryErrorCode: 'WSG-132',
    });
    expect(mock.stats.webSocket.recoveries).toEqual({ successful: 1, failed: 1 });
  });

  it('a silent drop keeps the socket open but answers nothing, and buffers for recovery', async () => {
    const token = await wsToken(mock);
    const { socket } = await subscribed(`${token.uri}?access_token=${token.ws_access_token}`);
    expect(mock.webSocket.drop({ silent: true })).toBe(1);
    expect(mock.webSocket.openConnections).toBe(0);
    socket.send([{ type: 'Heartbeat', messageId: 'h1' }]);
    mock.notify(EVENT, { n: 1 });
    await expect(socket.next(300)).rejects.toThrow(/no frame/);
    expect(socket.closed).toBeUndefined();
  });

  it('subscription requests are validated; unknown ids get 404', async () => {
    const token = await wsToken(mock);
    const socket = connect(`${token.uri}?access_token=${token.ws_access_token}`);
    await socket.next();
    socket.send([
      { type: 'ClientRequest', messageId: 'a', method: 'POST', path: '/restapi/v1.0/subscription' },
      { eventFilters: [] },
    ]);
    expect(meta(await socket.next())).toMatchObject({ status: 400, messageId: 'a' });
    socket.send([
      { type: 'ClientRequest', messageId: 'b', method: 'DELETE', path: '/restapi/v1.0/subscription/nope' },
    ]);
    const r = await socket.next();
    expect(meta(r)).toMatchObject({ status: 404 });
    expect(body(r)).toMatchObject({ errorCode: 'CMN-102' });
  });

  it('startMockServer refuses a bad webSocket option, naming it', async () => {
    await expect(startMockServer({ webSocket: { recoveryTimeoutSec: -1 } })).rejects.toThrow(
      /webSocket.recoveryTimeoutSec/,
    );
    await expect(startMockServer({ webSocket: { recoveryTimeout: 1 } as never })).rejects.toThrow(
      /webSocket.recoveryTimeout/,
    );
  });
});
