// A tiny static server: the page (at `/` and at the `/callback` redirect URI) and the bundle. No
// API, no token, no secret: the browser talks to RingCentral itself.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { appPage, type BrowserConfig, contentSecurityPolicy } from './page.js';

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The callback URL carries the code until the script removes it: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
};

const ASSETS: Record<string, string> = {
  '/app.js': 'text/javascript; charset=utf-8',
  '/app.js.map': 'application/json',
};

/** The request handler, once the bundle is read (it fails at start, not at the first request). */
export async function createHandler(
  config: BrowserConfig,
  bundleDir: string,
): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const assets = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS)) {
    const file = join(bundleDir, name.slice(1));
    const content = await readFile(file).catch(() => undefined);
    if (content) assets.set(name, content);
    else if (name === '/app.js')
      throw new Error(`${file} is missing: build the example first (npm run build)`);
  }
  const page = appPage(config);
  const callbackPath = new URL(config.redirectUri).pathname;

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
    } else if (path === '/' || path === callbackPath) {
      res
        .writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': contentSecurityPolicy(config),
          'Cache-Control': 'no-store',
          ...SECURITY_HEADERS,
        })
        .end(page);
    } else if (assets.has(path)) {
      res
        .writeHead(200, {
          'Content-Type': ASSETS[path] as string,
          'Cache-Control': 'no-cache',
          ...SECURITY_HEADERS,
        })
        .end(assets.get(path));
    } else {
      res
        .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
        .end('Not found\n');
    }
  };
}
