// Browser-test helpers shared by the examples' tests (not an example itself).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@rc/testing';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium (npm test installs it when missing); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; npm test does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Returns a function that saves a screenshot of a page as `<dir>/<name>.png`; pass the example's
 * gitignored output folder, e.g. `screenshots(new URL('../test-output/', import.meta.url))`.
 */
export function screenshots(dir: URL): (page: Page, name: string) => Promise<void> {
  const out = fileURLToPath(dir);
  return async (page, name) => {
    await mkdir(out, { recursive: true });
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  };
}

/** Waits for the mock server's login page, then fills in its user's credentials (Allow or Deny is left to the test). */
export async function fillMockLogin(page: Page, mock: MockServer): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${mock.url}/restapi/oauth/authorize?`));
  await page.fill('input[name="username"]', mock.user.username);
  await page.fill('input[name="password"]', mock.user.password);
}

/** From now on, the mock's login form sends the browser back with `state` forged, as a man in the middle would. */
export async function forgeCallbackState(page: Page, mock: MockServer, state: string): Promise<void> {
  await page.route(`${mock.url}/restapi/oauth/authorize`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = new URL(response.headers().location ?? '');
    if (!location.searchParams.get('code')) throw new Error('the mock redirected without a code');
    location.searchParams.set('state', state);
    await route.fulfill({ status: 302, headers: { Location: location.href } });
  });
}
