// Issue 18 items 5, 6 and 13: batchGet against a hostile server (a reply body that stalls, parts
// that echo the access token that was sent, in their body and their `href`) and ids that would make
// the path another resource.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { ApiError, ConfigError, createClient, NetworkError, type RcClient } from '@rc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const PRESENCE = '/restapi/v1.0/account/~/extension/{ids}/presence';
// Short and dashed: no generic rule (Bearer credentials, long opaque runs) would catch it.
const TOKEN = 'tok-9c1e-42ab7';
const BOUNDARY = 'Boundary_h';
const part = (json: string) => `--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n${json}\r\n`;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server answering every batch with `reply(sentToken, res)`; a client on it holding TOKEN. */
async function hostile(
  reply: (sent: string, res: import('node:http').ServerResponse) => void,
  timeout?: number,
): Promise<RcClient> {
  const server = createServer((req, res) => reply((req.headers.authorization ?? '').slice(7), res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rc = createClient({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId: 'id',
    retry: 0,
    ...(timeout ? { timeout } : {}),
  });
  await rc.setToken({ access_token: TOKEN, token_type: 'bearer', expires_in: 3600 });
  return rc;
}

const renderings = (e: unknown) => [
  String(e),
  (e as Error).stack ?? '',
  JSON.stringify(e),
  inspect(e, { depth: 10 }),
  JSON.stringify((e as ApiError).errors),
  String((e as ApiError).url),
];

describe('batchGet against a hostile server', () => {
  it('a reply body that stalls is bounded by the client’s timeout (a NetworkError with timeout: true)', async () => {
    const rc = await hostile((_, res) => {
      res.writeHead(207, { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` });
      res.write(part('{"response":[{"status":200},{"status":200}]}')); // and never more
    }, 300);
    const started = performance.now();
    const error = await rc.batchGet(PRESENCE, ['101', '102']).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timeout).toBe(true);
  });

  it('a per-call timeout bounds the body read too', async () => {
    const rc = await hostile((_, res) => {
      res.writeHead(207, { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` });
      res.write(part('{"response":[{"status":200},{"status":200}]}'));
    });
    const error = await rc.batchGet(PRESENCE, ['101', '102'], { timeout: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RC_NETWORK', timeout: true });
  });

  it('a single id’s plain JSON reply that stalls is bounded too', async () => {
    const rc = await hostile((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    }, 300);
    const error = await rc.batchGet(PRESENCE, ['101']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RC_NETWORK', timeout: true });
  });

  it('failed parts echoing the sent token (body and href) carry it in no rendering; the href is redacted', async () => {
    const rc = await hostile((sent, res) => {
      const href = `https://evil.example/restapi/v1.0/account/~/extension/${sent}/presence?access_token=${sent}&page=2`;
      const body = JSON.stringify({
        errorCode: 'CMN-102',
        message: `Resource for parameter [${sent}] is not found`,
        errors: [{ errorCode: 'CMN-102', message: `token ${encodeURIComponent(sent)} refused`, value: sent }],
      });
      res.writeHead(207, { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` });
      res.end(
        `${part(JSON.stringify({ response: [{ status: 200 }, { status: 404, href }] }))}${part('{"id":1}')}${part(body)}--${BOUNDARY}--\r\n`,
      );
    });
    const [ok, failed] = await rc.batchGet(PRESENCE, ['101', '102']);
    expect(ok?.status).toBe(200);
    const error = failed?.error;
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.errorCode).toBe('CMN-102');
    // The echo arrived (the test would prove nothing otherwise) and was scrubbed.
    expect(error?.message).toContain('[redacted]');
    for (const text of renderings(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(encodeURIComponent(TOKEN));
    }
    expect(error?.url).toContain('page=2');
  });
});

describe('batchGet refuses ids that are not one plain path segment', () => {
  it('`.`, `..`, an empty id, a backslash, a control character: ConfigError naming the id, nothing sent', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.resetStats();
    for (const [i, id] of ['.', '..', '', 'a\\b', 'a\u0000b'].entries()) {
      const error = await rc.batchGet(PRESENCE, ['101', id]).catch((e: unknown) => e);
      expect(error, `id ${JSON.stringify(id)} (#${i})`).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('ids[1]');
    }
    expect(server.stats.requests).toBe(0);
    // Ordinary ids still pass, and a dot inside an id is an ordinary character.
    expect((await rc.batchGet(PRESENCE, ['101', '102'])).map((r) => r.status)).toEqual([200, 200]);
    expect((await rc.batchGet(PRESENCE, ['101', '1.2'])).map((r) => r.status)).toEqual([200, 404]);
  });
});
