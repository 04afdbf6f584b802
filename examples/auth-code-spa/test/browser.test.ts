// The browser app end to end in headless Chromium: the script, bundled from the packages' sources,
// signs in at the mock server as its public client (PKCE, no secret) and calls the API cross-origin.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fillMockLogin,
  forgeCallbackState,
  launchChromium,
  screenshots,
} from '../../test-support/chromium.js';
import { bundle } from '../src/bundle.js';
import { type App, startApp } from '../src/main.js';

const screenshot = screenshots(new URL('../test-output/', import.meta.url));

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

let browser: Browser;
let app: App;
let bundleDir: string;
let context: BrowserContext;
let page: Page;
let seen: Promise<Seen>[];
let problems: string[];

beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'rc-spa-'));
  [browser] = await Promise.all([launchChromium(), bundle({ outdir: bundleDir, fromSource: true })]);
  app = await startApp({ env: {}, bundleDir });
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
  await rm(bundleDir, { recursive: true, force: true });
});

beforeEach(async () => {
  app.mock?.resetStats();
  context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  seen = [];
  problems = [];
  const record = async (request: Request): Promise<Seen> => ({
    method: request.method(),
    url: request.url(),
    headers: await request.allHeaders(),
    body: request.postData() ?? '',
  });
  page.on('request', (request) => void seen.push(record(request)));
  // A pass-through route: Chromium reports the bodies of fetch() requests to page.on('request')
  // only for intercepted requests.
  await context.route(`${mock().url}/restapi/**`, (route) => route.continue());
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
});
afterEach(() => context.close());

const mock = () => app.mock!;
const requestsTo = async (path: string) =>
  (await Promise.all(seen)).filter((r) => r.url.split('?')[0] === `${mock().url}${path}`);

async function openLoginForm(): Promise<void> {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Sign in with RingCentral' }).click();
  await fillMockLogin(page, mock());
}

async function signIn(): Promise<void> {
  await openLoginForm();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.locator('#signed-in').waitFor();
}

describe('examples/auth-code-spa in Chromium', () => {
  it('signs in with PKCE and no secret, calls the API from the page and shows the name', async () => {
    await signIn();
    expect(await page.textContent('#name')).toBe('Mock User');
    expect(await page.textContent('#extension')).toBe('101');
    // The code left the address bar, and the pending login left sessionStorage.
    expect(page.url()).toBe(`${app.url}/`);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    const tokenPosts = (await requestsTo('/restapi/oauth/token')).filter((r) => r.method === 'POST');
    expect(tokenPosts).toHaveLength(1);
    const [exchange] = tokenPosts as [Seen];
    expect(exchange.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(exchange.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('client_id')).toBe(mock().publicClientId);
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    expect(form.has('client_secret')).toBe(false);
    // No request at all carried a secret or a Basic header; the API call carried the bearer token.
    for (const r of await Promise.all(seen)) {
      expect(r.headers.authorization ?? '').not.toMatch(/^Basic/i);
      expect(JSON.stringify(r)).not.toContain(mock().clientSecret);
    }
    const [api] = (await requestsTo('/restapi/v1.0/account/~/extension/~')).filter((r) => r.method === 'GET');
    expect(api?.headers.authorization).toMatch(/^Bearer /);
    expect(mock().stats.byGrant).toEqual({ authorization_code: 1 });
    expect(problems).toEqual([]);
    await screenshot(page, 'spa-signed-in');
  });

  it('Deny: a clear error, and no token request', async () => {
    await openLoginForm();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-title')).toBe('Sign-in cancelled');
    expect(await page.textContent('#error-detail')).toBe('access_denied');
    expect(await requestsTo('/restapi/oauth/token')).toEqual([]);
    expect(mock().stats.byGrant).toEqual({});
    await screenshot(page, 'spa-denied');
  });

  it('a tampered state is refused, and the code is never exchanged', async () => {
    await forgeCallbackState(page, mock(), 'forged-state-value');
    await openLoginForm();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-title')).toBe('Sign-in refused');
    expect(await page.textContent('#error-detail')).toBe('RC_STATE_MISMATCH');
    expect(await requestsTo('/restapi/oauth/token')).toEqual([]);
    expect(mock().stats.byGrant).toEqual({});
    await screenshot(page, 'spa-tampered-state');
  });

  it('signing out revokes the token', async () => {
    await signIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor();
    expect(mock().stats.revokes).toBe(1);
    const [revoke] = await requestsTo('/restapi/oauth/revoke');
    expect(revoke?.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(revoke?.body).get('client_id')).toBe(mock().publicClientId);
    await screenshot(page, 'spa-signed-out');
  });
});
