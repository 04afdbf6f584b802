// What you need: Node.js 20 and a built example (`npm run build` bundles the page's script). With
// no variables the page signs users in at an embedded mock RingCentral server, as its public client
// (user +16505550100, the mock user's password from @rc/testing).
// For real RingCentral, register a client-side web app WITHOUT a secret (authorization code with
// PKCE) whose redirect URI is this page's /callback, then set RC_SERVER_URL
// (https://platform.devtest.ringcentral.com for the sandbox), RC_CLIENT_ID and RC_REDIRECT_URI
// (e.g. http://localhost:3000/callback). PORT picks the port (default: the redirect URI's, else 3000).
//
// This server only serves the page and its script. In the browser, the script sends the user to
// RingCentral with a fresh state and PKCE pair, exchanges the code for a token with no client
// secret, calls the API and shows the user's name.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { MockServer } from '@rc/testing';
import { DEFAULT_BUNDLE_DIR } from './bundle.js';
import { resolveTarget } from './config.js';
import { createHandler } from './server.js';

export interface StartAppOptions {
  /** Port on 127.0.0.1. @default the port of RC_REDIRECT_URI when given, else 0 (any free port) */
  port?: number;
  /** RC_* variables. @default process.env */
  env?: Record<string, string | undefined>;
  /** The directory holding `app.js`. @default dist/public (written by `npm run build`) */
  bundleDir?: string;
}

export interface App {
  /** The page's address, e.g. `http://127.0.0.1:3000`. */
  url: string;
  redirectUri: string;
  /** The embedded mock server, when no RingCentral variables were given. */
  mock?: MockServer;
  close(): Promise<void>;
}

const portOf = (uri: string | undefined) => (uri ? Number(new URL(uri).port) || undefined : undefined);

export async function startApp(options: StartAppOptions = {}): Promise<App> {
  const target = await resolveTarget(options.env ?? process.env);
  try {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? portOf(target.redirectUri) ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const redirectUri = target.redirectUri ?? `http://127.0.0.1:${port}/callback`;
    const config = { server: target.server, clientId: target.clientId, redirectUri };
    try {
      server.on('request', await createHandler(config, options.bundleDir ?? DEFAULT_BUNDLE_DIR));
    } catch (error) {
      server.close();
      throw error;
    }
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => target.close());
      return closing;
    };
    // The page's origin must be the callback's: sessionStorage is per origin.
    const url = new URL(redirectUri).origin;
    return { url, redirectUri, ...(target.mock ? { mock: target.mock } : {}), close };
  } catch (error) {
    await target.close();
    throw error;
  }
}

/** Starts the page's server and says where it is; resolves to the running app (close it to stop). */
export async function main(
  say: (line: string) => void = console.log,
  env: Record<string, string | undefined> = process.env,
): Promise<App> {
  const port = env.PORT ? Number(env.PORT) : (portOf(env.RC_REDIRECT_URI) ?? 3000);
  const app = await startApp({ env, port });
  say(
    app.mock
      ? `No RingCentral variables: signing in at the embedded mock server ${app.mock.url} (user ${app.mock.user.username}).`
      : 'Signing in at RingCentral.',
  );
  say(`Open ${app.url}/ (Ctrl+C to stop)`);
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (app) => {
      const stop = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
