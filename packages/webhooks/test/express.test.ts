import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockServer } from '@rc/testing';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, toNodeHandler, type WebhookNotification, webhookHandler } from '../src/index.js';
import { EVENT, FILTERS, mockClient, payload, startMock, TOKEN, waitFor } from './helpers.js';

// toNodeHandler() in a real Express 5 app over loopback: mounted with no body parser (the body is
// streamed to the handler) and behind each of Express's parsers, which either leave the body
// alone (a type they do not take) or hand over `req.body` already read — a string, a Buffer or
// parsed JSON, which the adapter gives the handler as the body it stands for. The handshake, the
// verification token and a delivery behave the same in every case.

let server: Server | undefined;
let mock: MockServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await mock?.close();
  server = mock = undefined;
});

async function app(parser: RequestHandler | undefined) {
  const seen: WebhookNotification[] = [];
  const handler = toNodeHandler(
    webhookHandler({ verificationToken: TOKEN, onNotification: (n) => void seen.push(n) }),
  );
  const a = express();
  if (parser) a.post('/webhook', parser, handler);
  else a.post('/webhook', handler);
  const s = a.listen(0, '127.0.0.1');
  server = s;
  await new Promise<void>((resolve) => s.once('listening', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/webhook`, seen };
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=UTF-8' };

const parsers: [string, RequestHandler | undefined][] = [
  ['no body parser', undefined],
  ['express.json()', express.json()],
  ['express.text()', express.text()],
  ['express.raw()', express.raw()],
  ["express.text({ type: '*/*' })", express.text({ type: '*/*' })],
  ["express.raw({ type: '*/*' })", express.raw({ type: '*/*' })],
  // body-parser 1.x (Express 4) sets `req.body = {}` for a body it does not take, and reads nothing.
  ['a parser that leaves `req.body = {}` unread (body-parser 1.x)', bodyParser1Skipping],
];

function bodyParser1Skipping(...[req, , next]: Parameters<RequestHandler>) {
  req.body = req.body || {};
  next();
}

describe.each(parsers)('webhookHandler() in Express, %s', (_, parser) => {
  it('answers the handshake, with or without a JSON Content-Type on its empty body', async () => {
    const { url, seen } = await app(parser);
    for (const headers of [{}, JSON_TYPE]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Validation-Token': 'v-123', 'Content-Length': '0', ...headers },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Validation-Token')).toBe('v-123');
    }
    expect(seen).toEqual([]);
  });

  it('refuses a wrong token (403) and passes a delivery on once, body intact', async () => {
    const { url, seen } = await app(parser);
    const send = (token: string, uuid: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...JSON_TYPE, 'Verification-Token': token },
        body: payload(uuid, { text: 'héllo', n: 1 }),
      });
    expect((await send('not-the-token', 'x-1')).status).toBe(403);
    expect((await send(TOKEN, 'x-2')).status).toBe(200);
    expect((await send(TOKEN, 'x-2')).status).toBe(200);
    expect(seen.map((n) => [n.uuid, n.body])).toEqual([['x-2', { text: 'héllo', n: 1 }]]);
  });
});

describe('Express behind express.json(), against the mock', () => {
  it('the subscription is created through the handshake and a notification arrives', async () => {
    mock = await startMock();
    const { url, seen } = await app(express.json());
    const hook = await createWebhook(mockClient(mock), {
      address: url,
      eventFilters: FILTERS,
      verificationToken: TOKEN,
    });
    try {
      mock.notify(EVENT, { n: 7 });
      await waitFor(() => seen.length === 1, 3000, 'the delivery');
      expect(seen[0]).toMatchObject({ subscriptionId: hook.id, body: { n: 7 } });
    } finally {
      await hook.close({ unsubscribe: true });
    }
  });
});
