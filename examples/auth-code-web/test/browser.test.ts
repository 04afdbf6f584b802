// The web app end to end in headless Chromium, through the mock server's login page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fillMockLogin,
  forgeCallbackState,
  launchChromium,
  screenshots,
} from '../../test-support/chromium.js';
import { type App, startApp } from '../src/main.js';
import { recordingStore } from './recording-store.js';

const screenshot = screenshots(new URL('../test-output/', import.meta.url));

let browser: Browser;
let app: App;
let recorded: ReturnType<typeof recordingStore>;
let context: BrowserContext;
let page: Page;
/** Status of every response to a request for the app's /callback. */
let callbackStatuses: number[];

beforeAll(async () => {
  recorded = recordingStore();
  [browser, app] = await Promise.all([
    launchChromium(),
    startApp({ env: {}, store: recorded.store, log: () => {} }),
  ]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()]);
});

beforeEach(async () => {
  app.mock?.resetStats();
  recorded.written.length = 0;
  recorded.deleted.length = 0;
  context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  callbackStatuses = [];
  page.on('response', (response) => {
    if (response.url().startsWith(`${app.url}/callback`)) callbackStatuses.push(response.status());
  });
});
afterEach(() => context.close());

const mock = () => app.mock!;

/** From the start page to the mock's login form, filled in. */
async function openLoginForm(): Promise<void> {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Sign in with RingCentral' }).click();
  await fillMockLogin(page, mock());
}

async function signIn(): Promise<void> {
  await openLoginForm();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${app.url}/me`);
}

/** /me sends this browser (its cookies) back to the start page. */
async function expectSignedOut(): Promise<void> {
  const response = await context.request.get(`${app.url}/me`, { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  expect(response.headers().location).toBe('/');
}

describe('examples/auth-code-web in Chromium', () => {
  it('signs in through the login page and shows the user from the API', async () => {
    await signIn();
    expect(await page.textContent('#name')).toBe('Mock User');
    expect(await page.textContent('main')).toContain('101');
    expect(callbackStatuses).toEqual([303]);
    expect(mock().stats.byGrant).toEqual({ authorization_code: 1 });

    // One token, stored under this user's own key; neither the page nor the cookie shows it.
    expect(recorded.written).toHaveLength(1);
    const [{ key, token }] = recorded.written as [(typeof recorded.written)[0]];
    expect(key).toMatch(/^user-/);
    expect(await page.content()).not.toContain(token.accessToken);
    const [cookie, ...others] = await context.cookies(app.url);
    expect(others).toHaveLength(0);
    expect(cookie).toMatchObject({ name: 'rc-session', httpOnly: true, sameSite: 'Lax' });
    expect(cookie?.value).not.toContain(token.accessToken);
    await screenshot(page, 'web-signed-in');
  });

  it('Deny: a clear error page, no code exchanged, no token stored', async () => {
    await openLoginForm();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/callback?`));

    expect(await page.textContent('h1')).toBe('Sign-in cancelled');
    expect(await page.textContent('[role="alert"]')).toMatch(/declined/);
    expect(callbackStatuses).toEqual([400]);
    expect(mock().stats.byGrant.authorization_code).toBeUndefined();
    expect(recorded.written).toHaveLength(0);
    await screenshot(page, 'web-denied');
    await expectSignedOut();
  });

  it('a tampered state is refused: an error page, and the code is never exchanged', async () => {
    await forgeCallbackState(page, mock(), 'forged-state-value');
    await openLoginForm();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/callback?`));

    expect(new URL(page.url()).searchParams.get('state')).toBe('forged-state-value');
    expect(await page.textContent('h1')).toBe('Sign-in refused');
    expect(await page.textContent('[role="alert"]')).toMatch(/does not match/);
    expect(callbackStatuses).toEqual([400]);
    expect(mock().stats.byGrant.authorization_code).toBeUndefined();
    expect(recorded.written).toHaveLength(0);
    await screenshot(page, 'web-tampered-state');
  });

  it('signing out revokes the token and forgets the user', async () => {
    await signIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app.url}/`);

    expect(mock().stats.revokes).toBe(1);
    expect(recorded.deleted).toEqual([recorded.written[0]?.key]);
    expect(await context.cookies(app.url)).toEqual([]);
    await screenshot(page, 'web-signed-out');
    await expectSignedOut();
  });
});
