import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenRequest(form: Record<string, string>, authorization?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (authorization) headers.Authorization = authorization;
  const res = await fetch(`${mock.url}/restapi/oauth/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const passwordForm = () => ({
  grant_type: 'password',
  username: mock.user.username,
  password: mock.user.password,
});
const confidential = () => basic(mock.clientId, mock.clientSecret);

describe('password grant', () => {
  it('issues a RingCentral-shaped token', async () => {
    const { status, body, headers } = await tokenRequest(passwordForm(), confidential());
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('rcrequestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token_expires_in: 604800,
      scope: expect.stringContaining('ReadAccounts'),
      owner_id: mock.user.id,
      endpoint_id: expect.any(String),
    });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(body.access_token).not.toBe(body.refresh_token);
  });

  it('echoes endpoint_id and accepts the extension in any of its forms', async () => {
    const forms = [
      { ...passwordForm(), extension: '101', endpoint_id: 'my-endpoint' },
      { ...passwordForm(), username: `${mock.user.username}*101`, endpoint_id: 'my-endpoint' },
      { ...passwordForm(), username: '1 (650) 555-0100', endpoint_id: 'my-endpoint' },
      { ...passwordForm(), username: 'mock.user@example.com', endpoint_id: 'my-endpoint' },
    ];
    for (const form of forms) {
      const { status, body } = await tokenRequest(form, confidential());
      expect(status, form.username).toBe(200);
      expect(body.endpoint_id).toBe('my-endpoint');
    }
    const wrongExt = await tokenRequest({ ...passwordForm(), extension: '999' }, confidential());
    expect(wrongExt.status).toBe(400);
  });

  it('refuses a wrong password with invalid_grant OAU-140', async () => {
    const { status, body, text } = await tokenRequest(
      { ...passwordForm(), password: 'wrong-secret-pw' },
      confidential(),
    );
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid resource owner credentials',
      errors: [{ errorCode: 'OAU-140', message: 'Invalid resource owner credentials' }],
    });
    expect(text).not.toContain('wrong-secret-pw');
  });

  it('refuses a wrong or missing client secret with 401 invalid_client', async () => {
    const wrong = await tokenRequest(passwordForm(), basic(mock.clientId, 'not-the-secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(wrong.text).not.toContain('not-the-secret');
    expect(wrong.text).not.toContain(mock.user.password);

    // A confidential client may not pass itself off as public.
    const noBasic = await tokenRequest({ ...passwordForm(), client_id: mock.clientId });
    expect(noBasic.status).toBe(401);
    const unknown = await tokenRequest(passwordForm(), basic('nobody', 'x'));
    expect(unknown.status).toBe(401);
    const none = await tokenRequest(passwordForm());
    expect(none.status).toBe(401);
  });

  it('lets a public client authenticate with client_id in the body', async () => {
    const { status, body } = await tokenRequest({ ...passwordForm(), client_id: mock.publicClientId });
    expect(status).toBe(200);
    expect(body.access_token).toBeTruthy();
    const withSecret = await tokenRequest(passwordForm(), basic(mock.publicClientId, 'made-up'));
    expect(withSecret.status).toBe(401);
  });
});

describe('token endpoint validation', () => {
  it('answers unsupported_grant_type for an unknown grant, invalid_request for none', async () => {
    const unknown = await tokenRequest({ grant_type: 'urn:example:unknown-grant' }, confidential());
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unsupported_grant_type');
    const none = await tokenRequest({ username: 'x' }, confidential());
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('invalid_request');
  });

  it('refuses a body that is not a form, and duplicated parameters', async () => {
    const res = await fetch(`${mock.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: confidential() },
      body: JSON.stringify(passwordForm()),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
    const dup = await fetch(`${mock.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: confidential() },
      body: 'grant_type=password&username=a&username=b&password=c',
    });
    expect(dup.status).toBe(400);
    expect((await dup.json()).errors[0].errorCode).toBe('OAU-111');
  });

  it('clamps requested ttls to the bounds (a negative or zero one too), and carries a session id', async () => {
    const cases: [Record<string, string>, number, number][] = [
      [{ access_token_ttl: '60', refresh_token_ttl: '9999999999' }, 600, 604800],
      [{ access_token_ttl: '99999' }, 3600, 604800],
      [{ access_token_ttl: '1800', refresh_token_ttl: '7200' }, 1800, 7200],
      // RingCentral's official SDK sends -1 on every refresh after a 401; RingCentral accepts it.
      [{ access_token_ttl: '-1' }, 600, 604800],
      [{ access_token_ttl: '0', refresh_token_ttl: '-1' }, 600, 1],
    ];
    for (const [ttls, access, refresh] of cases) {
      const { body } = await tokenRequest({ ...passwordForm(), ...ttls }, confidential());
      expect(body.expires_in).toBe(access);
      expect(body.refresh_token_expires_in).toBe(refresh);
      expect(body.session_id).toEqual(expect.any(String));
    }
    const bad = await tokenRequest({ ...passwordForm(), access_token_ttl: 'soon' }, confidential());
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });

  it('uses custom ttl defaults and bounds', async () => {
    const custom = await startMockServer({
      accessTokenTtl: 5,
      refreshTokenTtl: 50,
      ttlBounds: { accessMin: 1, accessMax: 10, refreshMax: 100 },
    });
    try {
      const auth = basic(custom.clientId, custom.clientSecret);
      const form = { grant_type: 'password', username: custom.user.username, password: custom.user.password };
      const post = (extra: Record<string, string>) =>
        fetch(`${custom.url}/restapi/oauth/token`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...form, ...extra }),
        }).then((r) => r.json());
      expect(await post({})).toMatchObject({ expires_in: 5, refresh_token_expires_in: 50 });
      expect(await post({ access_token_ttl: '30', refresh_token_ttl: '500' })).toMatchObject({
        expires_in: 10,
        refresh_token_expires_in: 100,
      });
    } finally {
      await custom.close();
    }
  });

  it('never echoes a secret in an error reply', async () => {
    const secrets = ['pw-SECRET-1', 'rt-SECRET-2', 'code-SECRET-3', 'verifier-SECRET-4', 'cs-SECRET-5'];
    const replies = await Promise.all([
      tokenRequest(
        { grant_type: 'password', username: mock.user.username, password: secrets[0]! },
        confidential(),
      ),
      tokenRequest({ grant_type: 'refresh_token', refresh_token: secrets[1]! }, confidential()),
      tokenRequest(
        {
          grant_type: 'authorization_code',
          code: secrets[2]!,
          code_verifier: secrets[3]!,
          redirect_uri: 'http://127.0.0.1/cb',
        },
        confidential(),
      ),
      tokenRequest(passwordForm(), basic(mock.clientId, secrets[4]!)),
      tokenRequest({ grant_type: secrets[0]! }, confidential()),
    ]);
    for (const reply of replies) {
      expect(reply.status).toBeGreaterThanOrEqual(400);
      for (const secret of [...secrets, mock.user.password, mock.clientSecret])
        expect(reply.text).not.toContain(secret);
    }
  });
});
