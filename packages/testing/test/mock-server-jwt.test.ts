import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function mock(options?: MockServerOptions) {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(
  server: MockServer,
  form: Record<string, string>,
  auth = basic(server.clientId, server.clientSecret),
) {
  const res = await fetch(`${server.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const jwtLogin = (server: MockServer, assertion: string, auth?: string) =>
  token(server, { grant_type: JWT_BEARER, assertion }, auth);

const refusal = (error: string, description: string, errorCode: string) => ({
  error,
  error_description: description,
  errors: [{ errorCode, message: description }],
});

describe('mock server: JWT bearer grant', () => {
  it('issues a JWT credential for its user and logs in with it (with a refresh token)', async () => {
    const server = await mock();
    const [header, payload] = server.jwt
      .split('.')
      .slice(0, 2)
      .map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: server.user.id,
      aud: `${server.url}/restapi/oauth/token`,
      iss: server.url,
    });
    expect(payload.exp).toBeUndefined();
    const { status, body } = await jwtLogin(server, server.jwt);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', owner_id: server.user.id, expires_in: 3600 });
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(server.stats.byGrant).toEqual({ [JWT_BEARER]: 1 });
    // The credential is reusable (RingCentral's may never expire): a second login works too.
    expect((await jwtLogin(server, server.jwt)).status).toBe(200);
  });

  it("refuses a JWT it did not sign, a tampered one and another server's with RingCentral's body", async () => {
    const server = await mock();
    const other = await mock();
    const [h, p] = server.jwt.split('.') as [string, string, string];
    const forged = `${h}.${p}.${createHmac('sha256', 'guess').update(`${h}.${p}`).digest('base64url')}`;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: '999' })).toString('base64url')}.${server.jwt.split('.')[2]}`;
    for (const assertion of [other.jwt, forged, tampered, 'not-a-jwt', 'a.b.c']) {
      const { status, body } = await jwtLogin(server, assertion);
      expect(status, assertion).toBe(400);
      expect(body).toEqual(refusal('invalid_request', 'Invalid assertion signature', 'OAU-345'));
    }
  });

  it('requires the assertion and client authentication', async () => {
    const server = await mock();
    const missing = await token(server, { grant_type: JWT_BEARER });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(refusal('invalid_request', 'Parameter [assertion] is invalid', 'OAU-101'));
    const wrongSecret = await jwtLogin(server, server.jwt, basic(server.clientId, 'wrong'));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ error: 'invalid_client' });
  });

  it('issueJwt: another user, bound to clients, expiring on the server clock; revokeJwt', async () => {
    const server = await mock({
      clients: [
        { clientId: 'app-a', clientSecret: 'secret-a' },
        { clientId: 'app-b', clientSecret: 'secret-b' },
      ],
      users: [
        { id: '101', username: '+16505550100', password: 'pw-101', name: 'A' },
        { id: '102', username: '+16505550101', password: 'pw-102', name: 'B' },
      ],
    });
    const a = basic('app-a', 'secret-a');
    const b = basic('app-b', 'secret-b');
    const bound = server.issueJwt({ userId: '102', clientIds: ['app-a'] });
    expect((await jwtLogin(server, bound, a)).body).toMatchObject({ owner_id: '102' });
    expect(await jwtLogin(server, bound, b)).toEqual({
      status: 400,
      body: refusal('invalid_grant', 'JWT token is not authorized for this application', 'OAU-240'),
    });

    const expiring = server.issueJwt({ expiresInSec: 60 });
    expect((await jwtLogin(server, expiring, a)).status).toBe(200);
    server.advanceTime(60_000);
    expect(await jwtLogin(server, expiring, a)).toEqual({
      status: 400,
      body: refusal('invalid_grant', 'JWT token is expired', 'OAU-211'),
    });

    const revoked = server.issueJwt();
    expect(server.revokeJwt(revoked)).toBe(true);
    expect(server.revokeJwt(revoked)).toBe(false);
    expect(server.revokeJwt('junk')).toBe(false);
    expect(await jwtLogin(server, revoked, a)).toEqual({
      status: 400,
      body: refusal('invalid_grant', 'JWT token is revoked', 'OAU-213'),
    });
  });

  it('issueJwt checks its options', async () => {
    const server = await mock();
    expect(() => server.issueJwt({ userId: 'nobody' })).toThrow(/unknown userId/);
    expect(() => server.issueJwt({ clientIds: ['nope'] })).toThrow(/clientIds/);
    expect(() => server.issueJwt({ expiresInSec: 0 })).toThrow(/expiresInSec/);
  });
});

describe('mock server: client-credentials grant', () => {
  it('issues tokens for the client set up with clientCredentialsUserId, and refuses other clients', async () => {
    const server = await mock({
      clients: [
        { clientId: 'service', clientSecret: 'service-secret', clientCredentialsUserId: '101' },
        { clientId: 'plain', clientSecret: 'plain-secret' },
      ],
    });
    const ok = await token(server, { grant_type: 'client_credentials' }, basic('service', 'service-secret'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ owner_id: '101', token_type: 'bearer' });
    const refused = await token(server, { grant_type: 'client_credentials' }, basic('plain', 'plain-secret'));
    expect(refused).toEqual({
      status: 400,
      body: refusal('unauthorized_client', 'Unauthorized for this grant type', 'OAU-251'),
    });
  });

  it('checks clientCredentialsUserId at start', async () => {
    await expect(
      startMockServer({ clients: [{ clientId: 'x', clientSecret: 's', clientCredentialsUserId: 'nobody' }] }),
    ).rejects.toThrow(/clientCredentialsUserId/);
  });
});
