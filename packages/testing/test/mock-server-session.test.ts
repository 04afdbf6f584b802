import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, type RawTokenResponse, startMockServer } from '../src/index.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

const basic = () => `Basic ${Buffer.from(`${mock.clientId}:${mock.clientSecret}`).toString('base64')}`;

async function post(path: string, form: Record<string, string>, authorization = basic()) {
  const res = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: authorization },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const login = async (extra: Record<string, string> = {}): Promise<RawTokenResponse> =>
  (
    await post('/restapi/oauth/token', {
      grant_type: 'password',
      username: mock.user.username,
      password: mock.user.password,
      ...extra,
    })
  ).body;
const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  post('/restapi/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
const me = (accessToken: string) =>
  fetch(`${mock.url}/restapi/v1.0/account/~/extension/~`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });

describe('refresh', () => {
  it('rotates both tokens; the old refresh token gets invalid_grant and the old access token 401 at once', async () => {
    const first = await login({ endpoint_id: 'ep-1' });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.endpoint_id).toBe('ep-1');

    const again = await refresh(first.refresh_token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Token not found',
      errors: [{ errorCode: 'OAU-211', message: 'Token not found' }],
    });
    expect((await me(first.access_token)).status).toBe(401);
    expect((await me(second.body.access_token)).status).toBe(200);
  });

  it('takes the ttls sent with the refresh, not the login', async () => {
    const first = await login({ access_token_ttl: '900' });
    expect(first.expires_in).toBe(900);
    expect((await refresh(first.refresh_token)).body.expires_in).toBe(3600);
  });

  it("refuses another client's refresh token", async () => {
    const first = await login();
    const other = await refresh(first.refresh_token, { client_id: mock.publicClientId });
    expect(other.status).toBe(401); // Basic and a different body client_id
    const publicAuth = await post(
      '/restapi/oauth/token',
      { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: mock.publicClientId },
      '',
    );
    expect(publicAuth.status).toBe(400);
    expect(publicAuth.body.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token)).status).toBe(200); // still usable by its own client
  });
});

describe('revoke', () => {
  it('ends the whole session from either token and counts in stats.revokes', async () => {
    for (const which of ['access_token', 'refresh_token'] as const) {
      const token = await login();
      const before = mock.stats.revokes;
      const res = await post('/restapi/oauth/revoke', { token: token[which] });
      expect(res.status).toBe(200);
      expect(mock.stats.revokes).toBe(before + 1);
      expect((await me(token.access_token)).status).toBe(401);
      expect((await refresh(token.refresh_token)).body.error).toBe('invalid_grant');
    }
  });

  it('answers 200 for an unknown token and requires client auth', async () => {
    expect((await post('/restapi/oauth/revoke', { token: 'unknown' })).status).toBe(200);
    expect((await post('/restapi/oauth/revoke', { token: 'unknown' }, 'Basic bm9ib2R5Ong=')).status).toBe(
      401,
    );
    expect((await post('/restapi/oauth/revoke', {})).body.error).toBe('invalid_request');
  });
});

describe('invalidation and expiry', () => {
  it('invalidateAccessTokens: old access tokens 401, refresh still works', async () => {
    const token = await login();
    mock.invalidateAccessTokens();
    const res = await me(token.access_token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-213' }] });
    const next = await refresh(token.refresh_token);
    expect(next.status).toBe(200);
    expect((await me(next.body.access_token)).status).toBe(200);
  });

  it('invalidateRefreshTokens: old refresh tokens get invalid_grant, new logins work', async () => {
    const token = await login();
    mock.invalidateRefreshTokens();
    expect((await refresh(token.refresh_token)).body.error).toBe('invalid_grant');
    expect((await me(token.access_token)).status).toBe(200);
    const fresh = await login();
    expect((await refresh(fresh.refresh_token)).status).toBe(200);
  });

  it('expires access and refresh tokens on the server clock', async () => {
    const token = await login({ access_token_ttl: '600', refresh_token_ttl: '1200' });
    mock.advanceTime(599_000);
    expect((await me(token.access_token)).status).toBe(200);
    mock.advanceTime(1_000);
    const expired = await me(token.access_token);
    expect(expired.status).toBe(401);
    expect((await expired.json()).message).toBe('Access token expired');
    mock.advanceTime(600_000);
    const dead = await refresh(token.refresh_token);
    expect(dead.status).toBe(400);
    expect(dead.body.error).toBe('invalid_grant');
  });
});

describe('issueToken', () => {
  it('returns a working token without HTTP or stats', async () => {
    mock.resetStats();
    const token = mock.issueToken({ accessTokenTtl: 120, refreshTokenTtl: 240 });
    expect(mock.stats.requests).toBe(0);
    expect(token).toMatchObject({
      token_type: 'bearer',
      expires_in: 120,
      refresh_token_expires_in: 240,
      owner_id: '101',
    });
    expect((await me(token.access_token)).status).toBe(200);
    expect((await refresh(token.refresh_token)).status).toBe(200);
  });

  it('binds the token to the given client and refuses unknown ids', async () => {
    const token = mock.issueToken({ clientId: mock.publicClientId });
    const res = await post(
      '/restapi/oauth/token',
      { grant_type: 'refresh_token', refresh_token: token.refresh_token, client_id: mock.publicClientId },
      '',
    );
    expect(res.status).toBe(200);
    expect(() => mock.issueToken({ userId: 'nobody' })).toThrow(/userId/);
    expect(() => mock.issueToken({ clientId: 'nobody' })).toThrow(/clientId/);
    expect(() => mock.issueToken({ accessTokenTtl: -1 })).toThrow(/accessTokenTtl/);
  });
});
