import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, OAuthError } from '@rc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from '../src/index.js';
import { FILTERS } from './helpers.js';

// Issue 18 item 2, through subscribe(): the ws token request is an OAuth request and never follows
// a redirect. A server that redirects it elsewhere gets an OAuthError back from subscribe(); the
// other host (127.0.0.2, another origin) receives nothing: not the request, not the access token.

const ACCESS = 'SECRET-access-ws-redirect-6c2e';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(host: string, handle: (req: IncomingMessage) => { status: number; location?: string }) {
  const received: { url: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    received.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const { status, location } = handle(req);
    res.writeHead(status, location ? { location } : { 'content-type': 'application/json' });
    res.end(
      status === 200
        ? JSON.stringify({ uri: 'ws://127.0.0.2:1/ws', ws_access_token: 'WS-evil', expires_in: 60 })
        : '',
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, received };
}

describe('subscribe() when the ws token request is redirected', () => {
  it.each([302, 307, 308])(
    '%i: rejects with an OAuthError; the other host receives nothing',
    async (status) => {
      const elsewhere = await listen('127.0.0.2', () => ({ status: 200 }));
      const home = await listen('127.0.0.1', (req) => ({ status, location: `${elsewhere.url}${req.url}` }));
      const rc = createClient({ server: home.url, clientId: 'id', retry: 0 });
      await rc.setToken({ access_token: ACCESS, expires_in: 3600 });
      const error = await subscribe(rc, { eventFilters: FILTERS }).then(
        (sub) => sub.close().then(() => expect.fail('subscribed')),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).status).toBe(status);
      expect(String((error as Error).message)).not.toContain(ACCESS);
      expect(home.received.map((r) => r.url)).toEqual(['/restapi/oauth/wstoken']);
      expect(elsewhere.received).toEqual([]);
    },
  );
});
