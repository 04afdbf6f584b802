// The SPA's server and bundle without a browser: what it serves, and what it refuses.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBuiltApp } from '../../test-support/built-app.js';
import { bundle } from '../src/bundle.js';
import { type App, main, startApp } from '../src/main.js';

let app: App;
let bundleDir: string;
beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'rc-spa-'));
  await bundle({ outdir: bundleDir, fromSource: true });
  app = await startApp({ env: {}, bundleDir });
});
afterAll(async () => {
  await app?.close();
  await rm(bundleDir, { recursive: true, force: true });
});

describe('examples/auth-code-spa server', () => {
  it('serves the page at / and at the redirect URI, with its public config and a strict CSP', async () => {
    for (const path of ['/', '/callback?code=x&state=y']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const config = JSON.parse(
        /<script id="rc-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!,
      );
      expect(config).toEqual({
        server: app.mock!.url,
        clientId: app.mock!.publicClientId,
        redirectUri: `${app.url}/callback`,
      });
      const csp = res.headers.get('content-security-policy');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src ${app.mock!.url}`);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves the bundle, which holds no secret and no Node built-in', async () => {
    const res = await fetch(`${app.url}/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await res.text();
    // Checked as booleans: a failure must not print 46 KB of minified code.
    expect(code.includes('restapi/oauth/token'), 'the bundle holds @rc/core').toBe(true);
    expect(code.includes(app.mock!.clientSecret), 'the bundle holds the client secret').toBe(false);
    expect(/\bnode:|require\(/.test(code), 'the bundle uses Node').toBe(false);
    expect((await fetch(`${app.url}/app.js.map`)).status).toBe(200);
  });

  it('answers 404 and 405', async () => {
    expect((await fetch(`${app.url}/nope`)).status).toBe(404);
    expect((await fetch(`${app.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a client secret: a browser cannot keep one', async () => {
    await expect(
      startApp({ env: { RC_CLIENT_SECRET: 's', RC_SERVER_URL: 'https://x', RC_CLIENT_ID: 'c' }, bundleDir }),
    ).rejects.toThrow(/must not hold a secret/);
  });

  it('says so when the bundle is missing, and stops the mock server it started', async () => {
    await expect(startApp({ env: {}, bundleDir: join(bundleDir, 'none') })).rejects.toThrow(
      /build the example/,
    );
  });

  it('main() starts on the embedded mock server and says where', async () => {
    const lines: string[] = [];
    const running = await main((line) => lines.push(line), { PORT: '0' });
    await running.close();
    expect(lines.join('\n')).toMatch(/embedded mock server .* \(user \+16505550100\)/);
    expect(lines.join('\n')).toContain(`Open ${running.url}/`);
  });
});

describe('examples/auth-code-spa build', () => {
  it('npm run build bundled the page script, and the built server serves it', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const built = fileURLToPath(new URL('../dist/public/app.js', import.meta.url));
    expect(existsSync(entry) && existsSync(built), 'build the examples first (npm test does)').toBe(true);
    await withBuiltApp(entry, async (url) => {
      expect(await (await fetch(`${url}/app.js`)).text()).toBe(await readFile(built, 'utf8'));
    });
  });
});
