// The whole authorization-code flow against the mock RingCentral server, with the real client and
// no browser: authorizeUrl → the login page → the form (Allow or Deny) → parseCallback → the token
// exchange → an API call. `fetch` with `redirect: 'manual'` stands in for the browser.
import { createClient, ErrorCodes, OAuthError, type RcClient } from '@rc/core';
import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authCodeGrant, authorizeUrl, createPkce, parseCallback } from '../src/index.js';
import { caught } from './fixtures.js';

// Never contacted: the flow stops at the redirect and reads its Location.
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

interface SeenRequest {
  url: string;
  authorization: string | null;
  body: string;
}

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());

/** A client whose every request (token requests included) is recorded. */
function spiedClient(clientSecret?: string) {
  const seen: SeenRequest[] = [];
  const spy: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: await request.clone().text(),
    });
    return fetch(request);
  };
  const rc = createClient({
    server: mock.url,
    clientId: clientSecret === undefined ? mock.publicClientId : mock.clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    redirectUri: REDIRECT,
    fetch: spy,
  });
  const tokenRequests = () => seen.filter((r) => r.url === `${mock.url}/restapi/oauth/token`);
  return { rc, seen, tokenRequests };
}

const decodeEntities = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

/**
 * What a person does in the browser: opens the authorize URL, fills the login form and presses
 * Allow or Deny. Returns the Location the server redirects to (the app's callback).
 */
async function signIn(authorizeAt: string, action: 'allow' | 'deny'): Promise<string> {
  const page = await fetch(authorizeAt);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(name as string, decodeEntities(value as string));
  }
  form.set('username', mock.user.username);
  form.set('password', mock.user.password);
  form.set('action', action);
  const target = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  expect(target).toBeDefined();
  const res = await fetch(new URL(target as string, authorizeAt), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const location = res.headers.get('location');
  expect(location?.startsWith(`${REDIRECT}?`)).toBe(true);
  return location as string;
}

/** What the app's callback does: check the state, then exchange the code. */
async function callback(
  rc: RcClient,
  location: string,
  pending: { state: string; codeVerifier?: string | undefined },
) {
  const { code } = parseCallback(location, { state: pending.state });
  const grant = authCodeGrant(
    pending.codeVerifier === undefined ? { code } : { code, codeVerifier: pending.codeVerifier },
  );
  return rc.authorize(grant, { accessTokenTtl: 600 });
}

const me = (rc: RcClient) => rc.get('/restapi/v1.0/account/~/extension/~').json<{ name: string }>();

describe('authorization-code flow on the mock server', () => {
  it('a confidential client that opts out of PKCE: Basic authentication, then an API call', async () => {
    const { rc, tokenRequests } = spiedClient(mock.clientSecret);
    const pending = await authorizeUrl(rc, { pkce: false });
    expect(pending.codeVerifier).toBeUndefined();
    expect(new URL(pending.url).searchParams.has('code_challenge')).toBe(false);

    const location = await signIn(pending.url, 'allow');
    const started = Date.now();
    const token = await callback(rc, location, pending);

    expect(token.ownerId).toBe(mock.user.id);
    expect(token.expiresAt - started).toBeGreaterThan(590_000);
    expect(token.expiresAt - started).toBeLessThanOrEqual(601_000);
    expect(await me(rc)).toMatchObject({ name: mock.user.name });

    const [exchange, ...others] = tokenRequests();
    expect(others).toHaveLength(0);
    const expected = `Basic ${btoa(`${mock.clientId}:${mock.clientSecret}`)}`;
    expect(exchange?.authorization).toBe(expected);
    const form = new URLSearchParams(exchange?.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('redirect_uri')).toBe(REDIRECT);
    expect(form.get('access_token_ttl')).toBe('600');
    expect(form.has('client_id')).toBe(false);
    expect(form.has('code_verifier')).toBe(false);
    expect(mock.stats.byGrant).toEqual({ authorization_code: 1 });
  });

  it('a confidential client may opt in to PKCE', async () => {
    const { rc, tokenRequests } = spiedClient(mock.clientSecret);
    const pending = await authorizeUrl(rc, { pkce: true });
    expect(pending.codeVerifier).toBeDefined();
    await callback(rc, await signIn(pending.url, 'allow'), pending);
    expect(new URLSearchParams(tokenRequests()[0]?.body).get('code_verifier')).toBe(pending.codeVerifier);
    expect(await me(rc)).toMatchObject({ name: mock.user.name });
  });

  it('a public client without a secret: PKCE, client_id in the body, no Authorization header', async () => {
    const { rc, seen, tokenRequests } = spiedClient();
    const pending = await authorizeUrl(rc);
    const query = new URL(pending.url).searchParams;
    expect(pending.codeVerifier).toBeDefined();
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('client_id')).toBe(mock.publicClientId);

    await callback(rc, await signIn(pending.url, 'allow'), pending);
    expect(await me(rc)).toMatchObject({ name: mock.user.name });

    const [exchange] = tokenRequests();
    expect(exchange?.authorization).toBeNull();
    const form = new URLSearchParams(exchange?.body);
    expect(form.get('client_id')).toBe(mock.publicClientId);
    expect(form.get('code_verifier')).toBe(pending.codeVerifier);
    // The API call carries the bearer token, and nothing anywhere carries a Basic header.
    expect(seen.some((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
    expect(seen.every((r) => !r.authorization?.startsWith('Basic'))).toBe(true);
  });

  it('a wrong code verifier gets invalid_grant, and no token is stored', async () => {
    const { rc } = spiedClient();
    const pending = await authorizeUrl(rc);
    const location = await signIn(pending.url, 'allow');
    const { codeVerifier: wrong } = await createPkce();

    const error = await caught(() => callback(rc, location, { ...pending, codeVerifier: wrong }));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: ErrorCodes.OAUTH, error: 'invalid_grant', status: 400 });
    expect(await rc.getToken()).toBeUndefined();
    expect(mock.stats.byGrant).toEqual({ authorization_code: 1 });
  });

  it('a code is single-use: the second exchange gets invalid_grant', async () => {
    const { rc } = spiedClient(mock.clientSecret);
    const pending = await authorizeUrl(rc);
    const location = await signIn(pending.url, 'allow');
    await callback(rc, location, pending);

    const other = rc.session('replay');
    const error = await caught(() => callback(other, location, pending));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'invalid_grant' });
    expect(await other.getToken()).toBeUndefined();
    expect(mock.stats.byGrant).toEqual({ authorization_code: 2 });
    // The first session is untouched.
    expect(await me(rc)).toMatchObject({ name: mock.user.name });
  });

  it('Deny: parseCallback throws OAuthError access_denied, and no token request is made', async () => {
    const { rc, tokenRequests } = spiedClient(mock.clientSecret);
    const pending = await authorizeUrl(rc);
    const location = await signIn(pending.url, 'deny');

    const error = await caught(() => callback(rc, location, pending));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: ErrorCodes.OAUTH, error: 'access_denied' });
    expect((error as OAuthError).errorDescription).toMatch(/denied/);
    expect(tokenRequests()).toHaveLength(0);
    expect(mock.stats.byGrant).toEqual({});
  });

  it('a tampered state: RC_STATE_MISMATCH, and the code is never exchanged', async () => {
    const { rc, tokenRequests } = spiedClient();
    const pending = await authorizeUrl(rc);
    const location = new URL(await signIn(pending.url, 'allow'));
    location.searchParams.set(
      'state',
      `${pending.state.slice(0, -1)}${pending.state.endsWith('A') ? 'B' : 'A'}`,
    );

    const error = await caught(() => callback(rc, location.href, pending));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: ErrorCodes.STATE_MISMATCH });
    expect(String(error)).not.toContain(pending.state);
    expect(tokenRequests()).toHaveLength(0);
    expect(mock.stats.byGrant).toEqual({});
    expect(await rc.getToken()).toBeUndefined();
  });
});
