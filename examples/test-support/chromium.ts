// Browser-test helpers shared by the examples' tests (not an example itself).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
