import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({
    clients: [
      { clientId: 'confidential', clientSecret: 'confidential-secret' },
      { clientId: 'public' },
      {
        clientId: 'registered',
        clientSecret: 'registered-secret',
        redirectUris: ['https://app.example.com/callback'],
      },
    ],
  });
});
afterAll(() => mock.close());

const REDIRECT = 'http://127.0.0.1:5555/callback';
// RFC 7636 appendix B, as published (https://www.rfc-editor.org/rfc/rfc7636#appendix-B).
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const authorizeGet = (params: Record<string, string>) =>
  fetch(`${mock.url}/restapi/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });

function authorizePost(params: Record<string, string>) {
  return fetch(`${mock.url}/restapi/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

const base = (extra: Record<string, string> = {}) => ({
  response_type: 'code',
  client_id: 'public',
  redirect_uri: REDIRECT,
  state: 'st-123',
  code_challenge: RFC_CHALLENGE,
  code_challenge_method: 'S256',
  ...extra,
});

/** Logs in through the form and returns the code from the redirect. */
async function getCode(params: Record<string, string> = base()): Promise<string> {
  const res = await authorizePost({
    ...params,
    username: mock.user.username,
    password: mock.user.password,
    action: 'allow',
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe(params.state);
  return location.searchParams.get('code')!;
}

/** A token request for a code; a form value `undefined` leaves that field out. */
function exchange(form: Record<string, string | undefined>, clientId = 'public', secret?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (secret) headers.Authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
  const fields = Object.entries({ grant_type: 'authorization_code', redirect_uri: REDIRECT, ...form });
  const body = new URLSearchParams(
    fields.filter((field): field is [string, string] => field[1] !== undefined),
  );
  if (!secret) body.set('client_id', clientId);
  return fetch(`${mock.url}/restapi/oauth/token`, { method: 'POST', headers, body });
}

describe('GET /restapi/oauth/authorize', () => {
  it('renders a login form carrying the parameters, and records the query', async () => {
    const params = base({
      display: 'popup',
      prompt: 'login consent',
      brand_id: '1210',
      ui_locales: 'en-US',
      login_hint: 'me@x.com',
    });
    const res = await authorizeGet(params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('rcrequestid')).toBeTruthy();
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/restapi/oauth/authorize">');
    expect(page).toContain('name="username"');
    expect(page).toContain('value="me@x.com"');
    expect(page).toContain('name="password"');
    expect(page).toContain('<button type="submit" name="action" value="allow">Allow</button>');
    expect(page).toContain('<button type="submit" name="action" value="deny">Deny</button>');
    expect(page).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT}">`);
    expect(page).toContain('<input type="hidden" name="prompt" value="login consent">');
    expect(mock.lastAuthorizeRequest).toEqual(params);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('escapes what it echoes', async () => {
    const page = await (await authorizeGet(base({ state: '"><script>x</script>' }))).text();
    expect(page).not.toContain('<script>');
  });

  it('shows a 400 page, never a redirect, for an unknown client or a bad redirect_uri', async () => {
    const cases = [
      base({ client_id: 'nobody' }),
      base({ redirect_uri: 'https://evil.example.com/cb' }),
      base({ redirect_uri: 'not a url' }),
      base({ redirect_uri: `${REDIRECT}#` }),
      { ...base(), client_id: 'registered', redirect_uri: 'https://app.example.com/callback#' },
      { ...base(), client_id: 'registered', redirect_uri: 'https://app.example.com/other' },
    ];
    for (const params of cases) {
      const res = await authorizeGet(params);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    const ok = await authorizeGet({
      ...base(),
      client_id: 'registered',
      redirect_uri: 'https://app.example.com/callback',
    });
    expect(ok.status).toBe(200);
  });

  it('redirects protocol errors back to the app', async () => {
    const cases: [Record<string, string>, string][] = [
      [base({ response_type: 'token' }), 'unsupported_response_type'],
      [base({ code_challenge_method: 'plain' }), 'invalid_request'],
      [{ response_type: 'code', client_id: 'public', redirect_uri: REDIRECT, state: 's' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const res = await authorizeGet(params);
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe(error);
    }
    // A confidential client may skip PKCE.
    expect(
      (await authorizeGet({ response_type: 'code', client_id: 'confidential', redirect_uri: REDIRECT }))
        .status,
    ).toBe(200);
  });
});

describe('GET /restapi/oauth/authorize: repeated parameters (RFC 6749 §3.1)', () => {
  const query = (pairs: [string, string][]) =>
    fetch(`${mock.url}/restapi/oauth/authorize?${new URLSearchParams(pairs)}`, { redirect: 'manual' });

  it('a repeated client_id or redirect_uri gets a page, never a redirect', async () => {
    const pairs = Object.entries(base()).filter(([name]) => name !== 'redirect_uri');
    for (const repeated of [
      [...pairs, ['redirect_uri', 'https://evil.example.com/cb'], ['redirect_uri', REDIRECT]],
      [...pairs, ['redirect_uri', REDIRECT], ['client_id', 'public']],
    ] as [string, string][][]) {
      const res = await query(repeated);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('another repeated parameter is redirected back as invalid_request', async () => {
    const res = await query([...Object.entries(base()), ['state', 'other']]);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('POST /restapi/oauth/authorize', () => {
  it('deny → access_denied with the state', async () => {
    const res = await authorizePost({ ...base(), action: 'deny' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('bad credentials show the page again with an error, no redirect, no password', async () => {
    const res = await authorizePost({
      ...base(),
      username: mock.user.username,
      password: 'wrong-pass-XYZ',
      action: 'allow',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('Invalid username or password');
    expect(page).toContain(`value="${mock.user.username}"`);
    expect(page).not.toContain('wrong-pass-XYZ');
  });

  it('re-validates the hidden parameters', async () => {
    const res = await authorizePost({
      ...base({ redirect_uri: 'https://evil.example.com/' }),
      action: 'allow',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('authorization_code grant', () => {
  it('exchanges a code once, with the RFC 7636 appendix B verifier', async () => {
    const code = await getCode();
    const res = await exchange({ code, code_verifier: RFC_VERIFIER });
    expect(res.status).toBe(200);
    const token = await res.json();
    expect(token.owner_id).toBe(mock.user.id);
    const reuse = await exchange({ code, code_verifier: RFC_VERIFIER });
    expect(reuse.status).toBe(400);
    expect((await reuse.json()).error).toBe('invalid_grant');
  });

  it('refuses a wrong or missing verifier', async () => {
    for (const verifier of ['x'.repeat(43), undefined]) {
      const code = await getCode();
      const form: Record<string, string> = { code };
      if (verifier) form.code_verifier = verifier;
      const res = await exchange(form);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).error).toBe('invalid_grant');
      expect(text).not.toContain(code);
    }
  });

  it('works with a freshly generated S256 pair for a confidential client', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await getCode(base({ client_id: 'confidential', code_challenge: challenge }));
    const res = await exchange({ code, code_verifier: verifier }, 'confidential', 'confidential-secret');
    expect(res.status).toBe(200);
  });

  it('binds the code to the redirect URI and the client', async () => {
    const a = await getCode();
    expect(
      (
        await (
          await exchange({
            code: a,
            code_verifier: RFC_VERIFIER,
            redirect_uri: 'http://127.0.0.1:5555/other',
          })
        ).json()
      ).error,
    ).toBe('invalid_grant');
    const b = await getCode();
    const other = await exchange(
      { code: b, code_verifier: RFC_VERIFIER },
      'confidential',
      'confidential-secret',
    );
    expect(other.status).toBe(400);
    expect((await other.json()).errors[0].errorCode).toBe('OAU-110');
  });

  it('refuses a verifier for a code issued without a challenge (a PKCE downgrade)', async () => {
    const { code_challenge: _, code_challenge_method: __, ...plain } = base({ client_id: 'confidential' });
    const stripped = await getCode(plain);
    const res = await exchange(
      { code: stripped, code_verifier: RFC_VERIFIER },
      'confidential',
      'confidential-secret',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-106' }] });
    // Without a verifier, such a code is fine.
    const ok = await exchange({ code: await getCode(plain) }, 'confidential', 'confidential-secret');
    expect(ok.status).toBe(200);
  });

  it('lets a client with one registered redirect URI leave it out of both requests', async () => {
    const registered = 'https://app.example.com/callback';
    const { redirect_uri: _, ...params } = base({ client_id: 'registered' });
    const page = await (await authorizeGet(params)).text();
    expect(page).not.toContain('name="redirect_uri"');
    const login = { ...params, username: mock.user.username, password: mock.user.password, action: 'allow' };
    const codeFor = async () => {
      const location = (await authorizePost(login)).headers.get('location') ?? '';
      expect(location.startsWith(`${registered}?`)).toBe(true);
      return new URL(location).searchParams.get('code')!;
    };
    const send = async (redirectUri: string | undefined) =>
      exchange(
        { code: await codeFor(), code_verifier: RFC_VERIFIER, redirect_uri: redirectUri },
        'registered',
        'registered-secret',
      );
    expect((await send(undefined)).status).toBe(200);
    expect((await send(registered)).status).toBe(200);
    expect((await (await send('https://app.example.com/other')).json()).errors[0].errorCode).toBe('OAU-109');
  });

  it('requires the redirect_uri at the token request when the authorize request had one', async () => {
    const res = await exchange({
      code: await getCode(),
      code_verifier: RFC_VERIFIER,
      redirect_uri: undefined,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].errorCode).toBe('OAU-109');
  });

  it('expires codes after 60 s of server time', async () => {
    const code = await getCode();
    mock.advanceTime(60_000);
    const res = await exchange({ code, code_verifier: RFC_VERIFIER });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].errorCode).toBe('OAU-108');
  });
});
