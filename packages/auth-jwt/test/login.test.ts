import { jwtGrant } from '@rc/auth-jwt';
import { describe, expect, it } from 'vitest';
import { client, EXT, mockServer, TOKEN } from './fixtures.js';

describe('jwtGrant() against the mock server', () => {
  it('logs in with HTTP Basic client auth, the assertion and the ttl options from authorize()', async () => {
    const server = await mockServer();
    const { rc, tokenRequests } = client(server);
    const token = await rc.authorize(jwtGrant({ jwt: server.jwt }), {
      accessTokenTtl: 600,
      refreshTokenTtl: 3600,
    });
    expect(tokenRequests).toHaveLength(1);
    const [request] = tokenRequests;
    expect(request?.authorization).toBe(`Basic ${btoa(`${server.clientId}:${server.clientSecret}`)}`);
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: server.jwt,
      access_token_ttl: '600',
      refresh_token_ttl: '3600',
    });
    // No client_id or client_secret in the body of a confidential client's request.
    expect(request!.form.has('client_secret')).toBe(false);
    expect(token).toMatchObject({ tokenType: 'bearer', ownerId: server.user.id });
    expect(token.refreshToken).toEqual(expect.any(String));
    expect(token.expiresAt - Date.now()).toBeLessThanOrEqual(600_000);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ id: Number(server.user.id) });
    expect(server.stats.byGrant).toEqual({ 'urn:ietf:params:oauth:grant-type:jwt-bearer': 1 });
  });

  it('as the unattended grant: 50 concurrent first requests make 1 login', async () => {
    const server = await mockServer({ latencyMs: { min: 0, max: 40 } });
    const { rc } = client(server, { grant: jwtGrant({ jwt: server.jwt }) });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => rc.get(EXT).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.byEndpoint[TOKEN]).toBe(1);
    expect(server.stats.byGrant).toEqual({ 'urn:ietf:params:oauth:grant-type:jwt-bearer': 1 });
    expect(server.stats.byStatus['401'] ?? 0).toBe(0);
  });

  it('falls back to a fresh JWT login when the refresh token is dead', async () => {
    const server = await mockServer();
    const { rc } = client(server, { grant: jwtGrant({ jwt: server.jwt }) });
    await rc.get(EXT); // the first request logs in
    const first = await rc.getToken();
    expect(first?.refreshToken).toEqual(expect.any(String));
    server.invalidateAccessTokens();
    server.invalidateRefreshTokens();
    server.resetStats();
    const tokens: string[] = [];
    rc.on('token', (token) => tokens.push(token.accessToken));
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: server.user.name });
    // One refresh refused with invalid_grant, then one JWT login; the request is retried once with it.
    expect(server.stats.byGrant).toEqual({
      refresh_token: 1,
      'urn:ietf:params:oauth:grant-type:jwt-bearer': 1,
    });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toBe(first?.accessToken);
  });

  it('serves a credential bound to this client and refuses it to another', async () => {
    const server = await mockServer({
      clients: [
        { clientId: 'app-a', clientSecret: 'secret-a' },
        { clientId: 'app-b', clientSecret: 'secret-b' },
      ],
    });
    const jwt = server.issueJwt({ clientIds: ['app-a'] });
    const { rc: a } = client(server, { clientId: 'app-a', clientSecret: 'secret-a' });
    const { rc: b } = client(server, { clientId: 'app-b', clientSecret: 'secret-b' });
    await expect(a.authorize(jwtGrant({ jwt }))).resolves.toMatchObject({ ownerId: server.user.id });
    await expect(b.authorize(jwtGrant({ jwt }))).rejects.toMatchObject({
      name: 'OAuthError',
      error: 'invalid_grant',
    });
  });
});
