import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import { type FetchHandler, toNodeHandler } from '../src/index.js';

// Shared plumbing: a mock with fast webhook timings, its clients and bounded waits (test-support/),
// a receiver on a real loopback port.

export const EVENT = '/restapi/v1.0/account/~/extension/~/message-store';
export const FILTERS = [EVENT];
export const TOKEN = 'verification-token-7f3a9c';

export { mockClient } from '../../../test-support/mock-client.js';
export { sleep, waitFor } from '../../../test-support/wait.js';

export function startMock(webhooks: MockServerOptions['webhooks'] = {}): Promise<MockServer> {
  return startMockServer({
    webhooks: { validationTimeoutMs: 1000, deliveryTimeoutMs: 1000, retryDelaysMs: [50, 100], ...webhooks },
  });
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 running `handler` through toNodeHandler(). */
export async function startReceiver(handler: FetchHandler, path = '/webhook'): Promise<Receiver> {
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A notification as RingCentral POSTs it. */
export const payload = (uuid: string, body: unknown = { n: 1 }) =>
  JSON.stringify({
    uuid,
    event: '/restapi/v1.0/account/1/extension/101/message-store',
    timestamp: new Date().toISOString(),
    subscriptionId: 'sub-1',
    ownerId: '101',
    body,
  });
