import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { passwordGrant } from '@rc/auth-password';
import { type ClientOptions, createClient, type Plugin, type RcClient, type TokenStore } from '@rc/core';
import { KeyLock, runWithLocalLease } from '@rc/core/kit';
import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import { afterEach } from 'vitest';

export const EXT = '/restapi/v1.0/account/~/extension/~';

const servers: MockServer[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...closers.splice(0).map((c) => c())]);
});

/** A mock server closed after the test. */
export async function mockServer(options?: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

export function userGrant(server: MockServer) {
  return passwordGrant({
    username: server.user.username,
    extension: server.user.extension!,
    password: server.user.password,
  });
}

/** A confidential client on the mock server. */
export function client(server: MockServer, options: Partial<ClientOptions> = {}): RcClient {
  return createClient({
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    ...options,
  });
}

/** A client logged in with the password grant. */
export async function loggedIn(server: MockServer, options: Partial<ClientOptions> = {}): Promise<RcClient> {
  const rc = client(server, options);
  await rc.authorize(userGrant(server));
  return rc;
}

/** A settable clock. */
export function fakeClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Records when each request goes on the wire (placed after the rate limiter, so inside it). */
export function wireSpy() {
  const sent: { path: string; at: number }[] = [];
  const plugin: Plugin = {
    name: 'wire',
    fetch: (next) => (input, init) => {
      sent.push({ path: new URL(new Request(input, init).url).pathname, at: Date.now() });
      return next(input, init);
    },
  };
  return { sent, plugin };
}

/**
 * `withLock` for a hand-made test store: core's in-process lock and lease, writing through the
 * store's own `set`/`delete` as they are at the time of the write (tests replace them).
 */
export function testLock(store: Pick<TokenStore, 'set' | 'delete'>): TokenStore['withLock'] {
  const locks = new KeyLock();
  return (key, fn) =>
    runWithLocalLease(
      {
        locks,
        lockId: key,
        key,
        store: 'the test store',
        writes: { set: (token) => store.set(key, token), delete: () => store.delete(key) },
      },
      fn,
    );
}

/** What a {@link loopbackServer} received: one entry per request, its body read in full. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP answer for {@link loopbackServer}. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A bare HTTP server on a loopback address (127.0.0.1 by default; 127.0.0.2 is another host for
 * the client's origin rules), recording everything it receives; closed after the test.
 */
export async function loopbackServer(
  answer: (req: Received) => Answer = () => ({ status: 200, body: '{}' }),
  host = '127.0.0.1',
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { url: `http://${host}:${port}`, received };
}
