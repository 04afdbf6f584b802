import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { passwordGrant } from '@rc/auth-password';
import { ApiError, createClient, logger, type RcClient } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, mockServer } from './fixtures.js';

const CLIENT_SECRET = 'SECRET-client-5f2a9c7e1b';
const PASSWORD = 'SECRET-password-8d3e6f0a';
const WRONG_PASSWORD = 'SECRET-wrong-password-41c7';

/** Every way an error can show itself. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: false }),
    inspect(e, { depth: 10 }),
  ];
}

describe('redaction: no secret in any error or log line', () => {
  it('drives every error path with known secrets', async () => {
    const server = await mockServer({
      clients: [{ clientId: 'redaction-client', clientSecret: CLIENT_SECRET }],
      users: [
        { id: '101', username: '+16505550100', extension: '101', password: PASSWORD, name: 'Mock User' },
      ],
    });
    const lines: string[] = [];
    const make = (options: { retry?: number; timeout?: number } = {}): RcClient =>
      createClient({
        server: server.url,
        clientId: 'redaction-client',
        clientSecret: CLIENT_SECRET,
        retry: options.retry ?? 0,
        ...(options.timeout ? { timeout: options.timeout } : {}),
        plugins: [logger({ log: (line, entry) => lines.push(line, JSON.stringify(entry)) })],
      });
    const rc = make();
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail('expected a rejection'),
        (e) => errors.push(e),
      );

    // wrong password
    await capture(rc.authorize(passwordGrant({ username: '+16505550100', password: WRONG_PASSWORD })));
    // a server that echoes the password in its error description
    server.failNext({
      path: '/restapi/oauth/token',
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `password ${WRONG_PASSWORD} is wrong`,
        errors: [{ errorCode: 'OAU-140', message: WRONG_PASSWORD }],
      },
    });
    await capture(rc.authorize(passwordGrant({ username: '+16505550100', password: WRONG_PASSWORD })));
    // a malformed token reply
    server.failNext({ path: '/restapi/oauth/token', status: 200, body: '{"access_token":' });
    await capture(rc.authorize(passwordGrant({ username: '+16505550100', password: PASSWORD })));
    // a network error on the token endpoint
    server.failNext({ path: '/restapi/oauth/token', status: 200, destroy: true });
    await capture(rc.authorize(passwordGrant({ username: '+16505550100', password: PASSWORD })));

    await rc.authorize(passwordGrant({ username: '+16505550100', password: PASSWORD }));
    const token = (await rc.getToken())!;
    await rc.get(EXT);
    // 401 twice (retry with a refreshed token, then give up)
    server.failNext({ path: EXT, status: 401, times: 2 });
    await capture(rc.get(EXT));
    const token2 = (await rc.getToken())!;
    // 500
    server.failNext({ path: EXT, status: 500 });
    await capture(rc.get(EXT).json());
    // network error on an API call
    server.failNext({ path: EXT, status: 200, destroy: true });
    await capture(rc.get(EXT));
    // timeout
    const slow = make({ timeout: 50 });
    await slow.setToken(token2);
    server.setLatency(300);
    await capture(slow.get(EXT));
    // a refresh refused (invalid_grant) → AuthRequiredError
    server.setLatency(0);
    server.invalidateAccessTokens();
    server.invalidateRefreshTokens();
    await capture(rc.get(EXT));

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'OAuthError', // wrong password
      'OAuthError', // echoed password
      'OAuthError', // malformed reply
      'NetworkError', // token endpoint unreachable
      'ApiError', // 401 twice
      'ApiError', // 500
      'NetworkError', // API unreachable
      'NetworkError', // ky's timeout, as a NetworkError with timeout: true
      'AuthRequiredError', // refresh refused
    ]);
    const secrets = [
      CLIENT_SECRET,
      PASSWORD,
      WRONG_PASSWORD,
      token.accessToken,
      token.refreshToken!,
      token2.accessToken,
      token2.refreshToken!,
      Buffer.from(`redaction-client:${CLIENT_SECRET}`).toString('base64'),
    ];
    for (const err of errors) {
      for (const text of renderings(err)) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
    }
    expect(lines.length).toBeGreaterThan(10);
    const log = lines.join('\n');
    for (const secret of secrets) expect(log).not.toContain(secret);
    // The logs are still useful: method, path, status, request id.
    expect(log).toMatch(
      /← 200 GET http:\/\/127\.0\.0\.1:\d+\/restapi\/v1\.0\/account\/~\/extension\/~ \d+ ms RCRequestId=/,
    );
    expect(log).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/restapi\/oauth\/token/);
  });

  it('a token that cannot go in a header, refused, and a transport failure: neither quotes it (issue 18 items 8, 9)', async () => {
    const bad = 'SECRET-header-token\r\nX-Evil: 1';
    const rc = createClient({
      server: 'https://platform.example.com',
      clientId: 'id',
      retry: 0,
      fetch: async (input, init) => {
        throw new TypeError(`invalid header ${new Request(input, init).headers.get('authorization')}`);
      },
    });
    const refused = await rc.setToken({ access_token: bad, expires_in: 3600 }).catch((e: unknown) => e);
    await rc.setToken({ access_token: 'SECRET-good-token-5521', expires_in: 3600 });
    const failed = await rc.get(EXT).catch((e: unknown) => e);
    for (const error of [refused, failed]) {
      for (const text of renderings(error)) {
        expect(text).not.toContain('SECRET-header-token');
        expect(text).not.toContain('SECRET-good-token-5521');
      }
    }
  });

  it('the logger redacts secret query values and never logs headers or bodies', async () => {
    const server = await mockServer();
    const lines: string[] = [];
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      plugins: [logger({ log: (line) => lines.push(line) })],
    });
    await rc.setToken(server.issueToken());
    await rc
      .get(EXT, { searchParams: { access_token: 'SECRET-in-query-123', page: '2' } })
      .catch(() => undefined);
    expect(lines.join('\n')).not.toContain('SECRET-in-query-123');
    expect(lines.join('\n')).toContain('page=2');
  });

  it('an error body echoing the access token that was sent: the token appears in no rendering', async () => {
    // Short and dashed: no generic rule (Bearer credentials, long opaque runs) would catch it.
    const token = 'tok-3f9a-77b1c';
    const hostile = createServer((req, res) => {
      const sent = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errorCode: 'CMN-101',
          message: `Parameter [${sent}] is not valid`,
          errors: [
            { errorCode: 'CMN-101', message: `token ${encodeURIComponent(sent)} refused`, value: sent },
            // issue 18 item 11: hex, double URL-encoding, HTML character references
            { message: `hex ${Buffer.from(sent).toString('hex')}` },
            { message: `twice ${encodeURIComponent(encodeURIComponent(`${sent}&`))}` },
            { message: `html ${[...sent].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}` },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const rc = createClient({
        server: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
        clientId: 'id',
        clientSecret: CLIENT_SECRET,
        retry: 0,
      });
      await rc.setToken({ access_token: token, token_type: 'bearer', expires_in: 3600 });
      const error = await rc.get(EXT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).errorCode).toBe('CMN-101');
      const hex = Buffer.from(token).toString('hex');
      for (const text of renderings(error)) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(hex);
        expect(text).not.toContain(encodeURIComponent(encodeURIComponent(token)));
        expect(text).not.toContain('&#x74;&#x6f;&#x6b;'); // t, o, k
      }
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });
});
