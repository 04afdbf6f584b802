// Fault injection, in one place a reader can scan: each case names a fault and the promise it
// checks. Token endpoint faults come from the mock server's failNext (slow, hang, 5xx, reset,
// invalid JSON, HTML); Redis faults (down, frozen, corrupt) live in packages/store-redis/test
// (faults.test.ts, client-faults.test.ts, data.test.ts); a killed lock holder in
// examples/multi-process/test/lock-holder-killed.test.ts.
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { inspect } from 'node:util';
import { createClient, isRcError, NetworkError, OAuthError, type RcClient } from '@rc/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { client, EXT, fakeClock, mockServer } from '../fixtures.js';

const TOKEN = '/restapi/oauth/token';
type Server = Awaited<ReturnType<typeof mockServer>>;

/** A client whose token needs a refresh now (fake clock past expiry), and the mock. */
async function needsRefresh(
  options: Parameters<typeof client>[1] = {},
): Promise<{ server: Server; rc: RcClient }> {
  const server = await mockServer();
  const clock = fakeClock();
  const rc = client(server, { retry: 0, tokenTimeoutMs: 500, now: clock.now, ...options });
  await rc.setToken(server.issueToken());
  clock.advance(3_600_000);
  return { server, rc };
}

/** Settles within `ms`, or the test fails as a hang. */
const bounded = <T>(p: Promise<T>, ms = 3000) =>
  Promise.race([p, new Promise<never>((_, r) => setTimeout(() => r(new Error(`hung for ${ms} ms`)), ms))]);

const failure = (p: Promise<unknown>) =>
  bounded(
    p.then(
      () => expect.fail('expected a failure'),
      (e: unknown) => e,
    ),
  );

describe('faults at the token endpoint: each fails the request as an RcError, in bounded time, keeping the token', () => {
  it.each([
    ['500', { status: 500 }, OAuthError],
    ['503', { status: 503 }, OAuthError],
    ['invalid JSON', { status: 200, body: '{"access_token":' }, OAuthError],
    [
      'an HTML page',
      {
        status: 502,
        body: '<html><body>Bad gateway</body></html>',
        headers: { 'content-type': 'text/html' },
      },
      OAuthError,
    ],
    ['a connection reset', { status: 0, destroy: true }, NetworkError],
    ['a hang (no answer ever)', { status: 200, hang: true }, NetworkError],
  ] as const)('%s', async (_, rule, type) => {
    const { server, rc } = await needsRefresh();
    const before = await rc.getToken();
    server.failNext({ path: TOKEN, ...rule });
    const error = await failure(rc.get(EXT));
    expect(error).toBeInstanceOf(type);
    expect(await rc.getToken()).toEqual(before); // the stored refresh token is never lost
  });

  it('slow but within tokenTimeoutMs: the request waits and succeeds', async () => {
    const { server, rc } = await needsRefresh({ tokenTimeoutMs: 2000 });
    server.failNext({
      path: TOKEN,
      status: 200,
      delayMs: 300,
      times: 1,
      body: JSON.stringify(server.issueToken()),
    });
    await expect(bounded(rc.get(EXT).json())).resolves.toMatchObject({ id: 101 });
  });

  it('slower than tokenTimeoutMs: a NetworkError with timeout: true', async () => {
    const { server, rc } = await needsRefresh({ tokenTimeoutMs: 200 });
    server.failNext({ path: TOKEN, status: 200, delayMs: 1000 });
    const error = await failure(rc.get(EXT));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timeout).toBe(true);
  });

  it("a request's own timeout ends its wait for a token as an RcError (the refresh goes on for the others)", async () => {
    const { server, rc } = await needsRefresh({ timeout: 100, tokenTimeoutMs: 1000 });
    server.failNext({ path: TOKEN, status: 200, hang: true });
    const error = await failure(rc.get(EXT));
    expect(isRcError(error)).toBe(true);
  });
});

describe('clock skew', () => {
  it('a client clock an hour ahead of the server refreshes early, once, and keeps serving', async () => {
    const server = await mockServer();
    const clock = fakeClock(Date.now() + 3_600_000);
    const rc = client(server, { retry: 0, now: clock.now });
    await rc.setToken(server.issueToken()); // expires_in is relative: skew does not matter to it
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ id: 101 });
    expect(server.stats.byGrant.refresh_token ?? 0).toBe(0);
  });

  it('a token the server already considers expired (client clock behind): one refresh on the 401', async () => {
    const server = await mockServer();
    const rc = client(server, { retry: 0, now: () => Date.now() - 3_600_000 });
    await rc.setToken(server.issueToken());
    server.advanceTime(3_601_000);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ id: 101 });
    expect(server.stats.byGrant.refresh_token).toBe(1);
  });
});

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts each connection and closes it at once (no HTTP answer). */
async function slammingServer(): Promise<string> {
  const server = createNetServer((socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ACCESS = 'SECRET-access-in-transport-3f81c2';
const REFRESH = 'SECRET-refresh-in-transport-0b7d44';
async function withToken(server: string, fetch?: typeof globalThis.fetch): Promise<RcClient> {
  const rc = createClient({ server, clientId: 'id', retry: 0, ...(fetch ? { fetch } : {}) });
  await rc.setToken({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 });
  return rc;
}

describe('issue 18 item 16: a token-endpoint NetworkError says why', () => {
  it('connection refused: the message names ECONNREFUSED', async () => {
    const rc = await withToken(await closedPort());
    const error = await failure(rc.refresh());
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(/ECONNREFUSED/);
  });

  it('socket closed without an answer: the message names the socket error', async () => {
    const rc = await withToken(await slammingServer());
    const error = await failure(rc.refresh());
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
  });
});

describe("issue 18 item 9: a transport's own errors become NetworkError, scrubbed", () => {
  /** A transport that fails with an error quoting the credentials of the request it was given. */
  const throwing =
    (make: (quoted: string) => Error): typeof fetch =>
    async (input, init) => {
      const req = new Request(input, init);
      throw make(`${req.headers.get('authorization')} ${await req.text()}`);
    };
  it.each([
    [
      'an AbortError the caller did not ask for',
      (q: string) => new DOMException(`aborted ${q}`, 'AbortError'),
    ],
    ['a TypeError quoting the credentials', (q: string) => new TypeError(`bad request: ${q}`)],
  ])('%s, on an API request and a token request', async (_, make) => {
    const rc = await withToken('https://platform.example.com', throwing(make));
    for (const p of [rc.get(EXT), rc.refresh()]) {
      const error = await failure(p);
      expect(error).toBeInstanceOf(NetworkError);
      const shown = [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join('\n');
      expect(shown).not.toContain(ACCESS);
      expect(shown).not.toContain(REFRESH);
      expect(shown).not.toContain(encodeURIComponent(REFRESH));
    }
  });

  it("a body cut off mid-stream: .json() rejects with NetworkError, not fetch's TypeError", async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
    const rc = await withToken(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    for (const read of ['json', 'text', 'arrayBuffer'] as const) {
      const error = await failure(rc.get(EXT)[read]());
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).message).toMatch(/UND_ERR_SOCKET|terminated|other side closed/);
    }
  });

  it("the caller's own abort stays an AbortError", async () => {
    const rc = await withToken('https://platform.example.com', (input) => {
      const { signal } = input as Request;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });
    const controller = new AbortController();
    const p = rc.get(EXT, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await failure(p);
    expect((error as Error).name).toBe('AbortError');
  });
});
