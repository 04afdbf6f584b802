import { inspect } from 'node:util';
import { jwtGrant } from '@rc/auth-jwt';
import { logger, OAuthError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, EXT, mockServer } from './fixtures.js';

/** Every way a part of `jwt` could be written down, for `expect(...).not.toContain`. */
function fragments(jwt: string): string[] {
  const segments = jwt.split('.');
  const std = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/');
  const decoded = segments.slice(0, 2).map((s) => Buffer.from(s, 'base64url').toString('utf8'));
  return [
    jwt,
    ...segments.map((s) => s.slice(0, 16)),
    ...segments.map((s) => s.slice(-16)),
    ...segments.map((s) => std(s).slice(0, 16)),
    Buffer.from(jwt).toString('base64').slice(0, 24),
    encodeURIComponent(jwt),
    ...decoded,
    ...claimValues(jwt),
  ];
}

/** The decoded claims' values (header and payload) long enough to tell (≥ 6 characters). */
function claimValues(jwt: string): string[] {
  return jwt
    .split('.')
    .slice(0, 2)
    .flatMap((s) => Object.values(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as object))
    .map(String)
    .filter((v) => v.length >= 6);
}

/** Everything an error shows: message, stack, JSON, inspection, fields, cause. */
const shown = (error: unknown) =>
  [
    String(error),
    (error as Error).stack,
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(Object.entries(error as object)),
  ].join('\n');

describe('a rejected JWT', () => {
  it('is an OAuthError with RingCentral error body fields and no part of the credential', async () => {
    const server = await mockServer();
    const other = await mockServer(); // a credential of another server: well-formed, wrongly signed
    const { rc } = client(server);
    const logs: unknown[] = [];
    const { rc: logged } = client(server, {
      plugins: [logger({ log: (line, entry) => logs.push(line, entry) })],
    });
    for (const c of [rc, logged]) {
      const error = await c.authorize(jwtGrant({ jwt: other.jwt })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({
        status: 400,
        error: 'invalid_request',
        errorCode: 'OAU-345',
        errorDescription: 'Invalid assertion signature',
      });
      for (const fragment of fragments(other.jwt)) expect(shown(error)).not.toContain(fragment);
    }
    for (const fragment of fragments(other.jwt)) expect(JSON.stringify(logs)).not.toContain(fragment);
  });

  it('carries none of it even when the server echoes it back, in any encoding', async () => {
    const server = await mockServer();
    const jwt = server.jwt;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const std = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/');
    const echoes = [
      `assertion ${jwt} is invalid`,
      `assertion ${jwt.slice(0, 40)}... is invalid`,
      `bad signature ${signature}`,
      `bad payload ${std(payload)}==`,
      `claims ${Buffer.from(payload, 'base64url').toString('utf8')} rejected`,
      `header ${Buffer.from(header, 'base64url').toString('utf8')}`,
      `base64 ${Buffer.from(jwt).toString('base64')}`,
      `url ${encodeURIComponent(jwt)}.`,
      // issue 18 item 11: decoded claims one by one or re-serialized, and further encodings
      ...claimValues(jwt).map((v) => `claim ${v} is not accepted`),
      `claims ${JSON.stringify(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), null, 2)}`,
      `hex ${Buffer.from(jwt).toString('hex')}`,
      `twice ${encodeURIComponent(encodeURIComponent(jwt))}`,
      `entities ${[...jwt].map((c) => `&#${c.charCodeAt(0)};`).join('')}`,
    ];
    for (const echo of echoes) {
      server.failNext({
        path: '/restapi/oauth/token',
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: echo,
          errors: [{ errorCode: echo, message: echo }],
        },
      });
      const { rc } = client(server);
      const error = await rc.authorize(jwtGrant({ jwt })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).error).toBe('invalid_grant');
      expect((error as OAuthError).errorDescription).toContain('[redacted]');
      for (const fragment of fragments(jwt)) expect(shown(error), echo).not.toContain(fragment);
    }
    // Ordinary words in a description are left alone.
    server.failNext({
      path: '/restapi/oauth/token',
      status: 400,
      body: { error: 'invalid_grant', error_description: 'JWT token is expired', errors: [] },
    });
    const { rc } = client(server);
    await expect(rc.authorize(jwtGrant({ jwt }))).rejects.toMatchObject({
      errorDescription: 'JWT token is expired',
    });
  });

  it('as the unattended grant, fails the request with the OAuthError and no part of the credential', async () => {
    const server = await mockServer();
    const jwt = server.issueJwt();
    server.revokeJwt(jwt);
    const { rc } = client(server, { grant: jwtGrant({ jwt }) });
    const error = await rc.get(EXT).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OAuthError', error: 'invalid_grant' });
    for (const fragment of fragments(jwt)) expect(shown(error)).not.toContain(fragment);
  });
});
