// The app's routes without a browser: what each answers, and what it refuses before any token request.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withBuiltApp } from '../../test-support/built-app.js';
import { type App, main, startApp } from '../src/main.js';

let app: App;
const logged: string[] = [];
beforeAll(async () => {
  app = await startApp({ env: {}, log: (line) => logged.push(line) });
});
afterAll(() => app.close());
beforeEach(() => {
  app.mock?.resetStats();
  logged.length = 0;
});

const get = (path: string, cookie?: string) =>
  fetch(`${app.url}${path}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';
const logout = (target: App, headers: Record<string, string>) =>
  fetch(`${target.url}/logout`, { method: 'POST', redirect: 'manual', headers });

/**
 * Signs in without a browser: /login, then the mock's login form (its hidden fields are the
 * authorize query), then the app's callback. Resolves to the signed-in session cookie.
 */
async function signIn(target: App, mock: MockServer): Promise<string> {
  const login = await fetch(`${target.url}/login`, { redirect: 'manual' });
  const authorize = new URL(login.headers.get('location') ?? '');
  const form = new URLSearchParams(authorize.search);
  form.set('username', mock.user.username);
  form.set('password', mock.user.password);
  form.set('action', 'allow');
  const allowed = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = await fetch(allowed.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: cookieOf(login) },
  });
  expect(callback.status).toBe(303);
  return cookieOf(callback);
}

/** A free port on 127.0.0.1, for a redirect URI that must name its port before the app starts. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('examples/auth-code-web routes', () => {
  it('/ offers the sign-in link, with a strict CSP and no caching', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<a class="button" href="/login">Sign in with RingCentral</a>');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('/login redirects to the authorize page with state and PKCE, kept in the session cookie', async () => {
    const res = await get('/login');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${app.mock!.url}/restapi/oauth/authorize`);
    expect(location.searchParams.get('redirect_uri')).toBe(app.redirectUri);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(res.headers.get('set-cookie')).toMatch(/^rc-session=.+; HttpOnly; SameSite=Lax; Max-Age=600$/);
  });

  it('/callback with no sign-in in progress: 400, and no token request', async () => {
    const res = await get('/callback?code=abc&state=xyz');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('No sign-in in progress');
    expect(app.mock!.stats.byGrant).toEqual({});
  });

  it('/callback with a forged session cookie is treated as no session', async () => {
    const login = await get('/login');
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const res = await get(`/callback?code=abc&state=${state}`, `${cookieOf(login)}x`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('No sign-in in progress');
    expect(app.mock!.stats.byGrant).toEqual({});
  });

  it('/callback with the right state but an unknown code: a sign-in error page, never the code', async () => {
    const login = await get('/login');
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const res = await get(`/callback?code=not-a-real-code&state=${state}`, cookieOf(login));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Sign-in failed');
    expect(html).toContain('invalid_grant');
    expect(html).not.toContain('not-a-real-code');
    expect(logged.join('\n')).not.toContain('not-a-real-code');
    expect(app.mock!.stats.byGrant).toEqual({ authorization_code: 1 });
    // The callback cleared the pending sign-in: the browser, reloading it, is refused without a token
    // request. (A stateless cookie cannot be revoked: a copy of the old one stays usable until it
    // expires, 10 minutes, and the code it would carry is single-use at RingCentral anyway.)
    expect(res.headers.get('set-cookie')).toMatch(/^rc-session=; .*Max-Age=0$/);
    const again = await get(`/callback?code=not-a-real-code&state=${state}`, cookieOf(res));
    expect(await again.text()).toContain('No sign-in in progress');
    expect(app.mock!.stats.byGrant).toEqual({ authorization_code: 1 });
  });

  it('/me and a signed-out browser: back to the start page', async () => {
    const res = await get('/me');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });

  it('/logout takes POST only; unknown pages get 404', async () => {
    const res = await get('/logout');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const out = await fetch(`${app.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get('/nope')).status).toBe(404);
  });

  it('/logout refuses a POST from another origin (CSRF): no revoke, still signed in', async () => {
    const cookie = await signIn(app, app.mock!);
    expect((await get('/me', cookie)).status).toBe(200);
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'null' },
      { 'sec-fetch-site': 'same-site', origin: `http://sub.${new URL(app.url).host}` },
      { origin: 'http://evil.example' }, // a browser without Fetch Metadata
    ]) {
      const forged = await logout(app, { cookie, ...headers });
      expect(forged.status).toBe(403);
      expect(forged.headers.get('set-cookie')).toBeNull();
    }
    expect(app.mock!.stats.revokes).toBe(0);
    expect((await get('/me', cookie)).status).toBe(200);

    // What Chromium sends for the app's own form: its no-referrer policy turns Origin into "null".
    const out = await logout(app, { cookie, 'sec-fetch-site': 'same-origin', origin: 'null' });
    expect(out.status).toBe(303);
    expect(app.mock!.stats.revokes).toBe(1);
    expect((await get('/me', cookieOf(out))).status).toBe(302);
  });
});

describe('examples/auth-code-web on a registered redirect URI', () => {
  let mock: MockServer;
  let custom: App;
  let redirectUri: string;
  beforeAll(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
    mock = await startMockServer({
      clients: [{ clientId: 'web-app', clientSecret: 'web-secret', redirectUris: [redirectUri] }],
    });
    const env = {
      RC_SERVER_URL: mock.url,
      RC_CLIENT_ID: 'web-app',
      RC_CLIENT_SECRET: 'web-secret',
      RC_REDIRECT_URI: redirectUri,
    };
    custom = await startApp({ env, log: () => {} });
  });
  afterAll(async () => {
    await custom?.close();
    await mock?.close();
  });

  it("serves its callback at the redirect URI's path, and signs in there", async () => {
    expect(custom.url).toBe(new URL(redirectUri).origin);
    const login = await fetch(`${custom.url}/login`, { redirect: 'manual' });
    expect(new URL(login.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe(redirectUri);
    expect((await fetch(`${custom.url}/callback`)).status).toBe(404);
    const cookie = await signIn(custom, mock);
    const me = await fetch(`${custom.url}/me`, { headers: { cookie } });
    expect(await me.text()).toContain('Mock User');
  });
});

describe('examples/auth-code-web main', () => {
  it('starts on the embedded mock server and says where', async () => {
    const lines: string[] = [];
    const running = await main((line) => lines.push(line), { PORT: '0' });
    try {
      expect(lines.join('\n')).toMatch(
        /embedded mock server http:\/\/127\.0\.0\.1:\d+ \(user \+16505550100\)/,
      );
      expect(lines.join('\n')).toContain(`Open ${running.url}/`);
      expect(lines.join('\n')).not.toContain('mock-password');
      expect((await fetch(running.url)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('refuses a half-set RingCentral configuration', async () => {
    await expect(main(() => {}, { RC_CLIENT_ID: 'x' })).rejects.toThrow(
      /missing RC_SERVER_URL, RC_REDIRECT_URI/,
    );
  });

  it('the built app starts and serves its start page', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(entry), 'build the examples first (npm test does)').toBe(true);
    await withBuiltApp(entry, async (url) => {
      expect(await (await fetch(url)).text()).toContain('Sign in with RingCentral');
    });
  });
});
