// Issue 18 item 2: token, revoke and wstoken requests never follow a redirect. A 307/308 from the
// token endpoint would re-send the form (password, assertion, refresh token, code and verifier, the
// revoke body) to another host; a 302 would turn it into a GET there and store whatever token that
// host returns. A 3xx is an error, and the other host (127.0.0.2, another origin) receives nothing.
import { authCodeGrant } from '@rc/auth-code';
import { passwordGrant } from '@rc/auth-password';
import { createClient, type Grant, isRcError, OAuthError, type RcClient } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { loopbackServer } from './fixtures.js';

const PASSWORD = 'SECRET-password-redirected-7c1e';
const CODE = 'SECRET-code-redirected-2f4d';
const VERIFIER = 'SECRET-verifier-redirected-0123456789abcdefghijklmnopqrstuv';
const REFRESH = 'SECRET-refresh-redirected-93ab';
const ACCESS = 'SECRET-access-redirected-51d0';

/** The configured server redirects every OAuth path to another host, which would hand out a token. */
async function setup(status: number) {
  const elsewhere = await loopbackServer(
    () => ({
      status: 200,
      body: JSON.stringify({
        access_token: 'EVIL-token-from-elsewhere',
        token_type: 'bearer',
        expires_in: 3600,
      }),
    }),
    '127.0.0.2',
  );
  const home = await loopbackServer((req) =>
    req.url.toLowerCase().startsWith('/restapi/oauth/')
      ? { status, headers: { location: `${elsewhere.url}${req.url}` } }
      : { status: 200, body: '{}' },
  );
  const rc = createClient({ server: home.url, clientId: 'id', clientSecret: 'SECRET-client-0a9f', retry: 0 });
  await rc.setToken({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 });
  return { rc, home, elsewhere };
}

/** The error of a ws token request (`rc.post`, as @rc/subscriptions makes it), or the reply if none. */
const wstokenError = (rc: RcClient, path = 'restapi/oauth/wstoken') =>
  rc
    .post(path)
    .json()
    .catch((e: unknown) => e);

const assertion: Grant = {
  name: 'assertion',
  requestToken: (ctx) =>
    ctx.tokenRequest({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'SECRET-jwt-assertion',
    }),
};

const operations: [string, (rc: RcClient) => Promise<unknown>][] = [
  ['a password login', (rc) => rc.authorize(passwordGrant({ username: 'u', password: PASSWORD }))],
  ['an assertion (JWT) login', (rc) => rc.authorize(assertion)],
  [
    'a code and verifier exchange',
    (rc) =>
      rc.authorize(
        authCodeGrant({ code: CODE, codeVerifier: VERIFIER, redirectUri: 'https://app.example/cb' }),
      ),
  ],
  ['a refresh', (rc) => rc.refresh()],
  ['a revoke', (rc) => rc.revoke()],
];

describe('token and revoke requests never follow a redirect', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it.each(operations)(
      `%s answered ${status}: OAuthError, nothing sent elsewhere, no token taken`,
      async (_, run) => {
        const { rc, home, elsewhere } = await setup(status);
        const before = await rc.getToken();
        const error = await run(rc).then(
          () => expect.fail('expected an OAuthError'),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(OAuthError);
        expect((error as OAuthError).status).toBe(status);
        expect((error as OAuthError).message).toMatch(/redirect/);
        expect(home.received.filter((r) => r.url.startsWith('/restapi/oauth/'))).toHaveLength(1);
        expect(elsewhere.received).toEqual([]);
        if (!/revoke/.test(_)) expect(await rc.getToken()).toEqual(before);
      },
    );
  }
});

describe('the wstoken request (made with rc.post) never follows a redirect', () => {
  it.each([301, 302, 303, 307, 308])(
    'answered %i: an OAuthError, and the other host receives nothing',
    async (status) => {
      const { rc, home, elsewhere } = await setup(status);
      const error = await rc
        .post('restapi/oauth/wstoken')
        .json()
        .then(
          () => expect.fail('expected an error'),
          (e: unknown) => e,
        );
      expect(isRcError(error)).toBe(true);
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).status).toBe(status);
      expect((error as OAuthError).message).toMatch(/redirect/);
      expect(home.received.filter((r) => r.url.startsWith('/restapi/oauth/'))).toHaveLength(1);
      expect(elsewhere.received).toEqual([]);
    },
  );

  it('answered 401, then (after the refresh) 307: an OAuthError, nothing sent elsewhere', async () => {
    const elsewhere = await loopbackServer(() => ({ status: 200, body: '{}' }), '127.0.0.2');
    let wstokens = 0;
    const home = await loopbackServer((req) => {
      if (req.url === '/restapi/oauth/token') {
        return {
          status: 200,
          body: JSON.stringify({ access_token: 'SECRET-access-renewed-77aa', expires_in: 3600 }),
        };
      }
      wstokens++;
      return wstokens === 1
        ? { status: 401, body: '{}' }
        : { status: 307, headers: { location: `${elsewhere.url}${req.url}` } };
    });
    const rc = createClient({
      server: home.url,
      clientId: 'id',
      clientSecret: 'SECRET-client-0a9f',
      retry: 0,
    });
    await rc.setToken({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 });
    const error = await wstokenError(rc);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).status).toBe(307);
    expect(wstokens).toBe(2);
    expect(elsewhere.received).toEqual([]);
  });

  it('a path in another case (/RESTAPI/OAUTH/) is held too', async () => {
    const { rc, elsewhere } = await setup(307);
    const error = await wstokenError(rc, 'RESTAPI/OAUTH/wstoken');
    expect(elsewhere.received).toEqual([]);
    expect(error).toBeInstanceOf(OAuthError);
  });

  it('an API request elsewhere may still redirect (same origin): only OAuth paths are held', async () => {
    const home = await loopbackServer((req) =>
      req.url === '/restapi/v1.0/a'
        ? { status: 302, headers: { location: '/restapi/v1.0/b' } }
        : { status: 200, body: '{"b":1}' },
    );
    const rc = createClient({ server: home.url, clientId: 'id', retry: 0 });
    await rc.setToken({ access_token: ACCESS, expires_in: 3600 });
    await expect(rc.get('restapi/v1.0/a').json()).resolves.toEqual({ b: 1 });
  });
});

describe("a browser's fetch: the unfollowed redirect comes back opaque (status 0)", () => {
  /** What a browser's fetch resolves with for redirect: 'manual' (Node's gives the 3xx itself). */
  const opaque = () =>
    Object.defineProperties(new Response(null, { status: 200 }), {
      type: { value: 'opaqueredirect' },
      status: { value: 0 },
      ok: { value: false },
    });

  it('is an OAuthError all the same, and no token is taken', async () => {
    const seen: RequestRedirect[] = [];
    const rc = createClient({
      server: 'https://platform.example.com',
      clientId: 'id',
      retry: 0,
      fetch: async (input, init) => {
        seen.push(new Request(input, init).redirect);
        return opaque();
      },
    });
    await rc.setToken({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 });
    const error = await rc.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).message).toMatch(/redirect/);
    expect(seen).toEqual(['manual']);
  });

  it('the wstoken request too: an OAuthError, not a reply to read', async () => {
    const rc = createClient({
      server: 'https://platform.example.com',
      clientId: 'id',
      retry: 0,
      fetch: async () => opaque(),
    });
    await rc.setToken({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 });
    const error = await wstokenError(rc);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).message).toMatch(/redirect/);
  });
});
