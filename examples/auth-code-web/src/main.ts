// What you need: Node.js 20. With no variables the app signs users in at an embedded mock
// RingCentral server (user +16505550100, the mock user's password from @rc/testing).
// For real RingCentral, register a web app (authorization code, with or without a secret), then set
// RC_SERVER_URL (https://platform.devtest.ringcentral.com for the sandbox), RC_CLIENT_ID,
// RC_CLIENT_SECRET (leave it out for a PKCE-only app) and RC_REDIRECT_URI, the app's registered
// redirect URI (e.g. http://localhost:3000/callback): the app serves its callback at that URI's
// path. PORT picks the port (default: the redirect URI's, else 3000).
//
// Open the printed URL, sign in, and the app shows your name from the API. The pending login (state
// and PKCE verifier) waits in an encrypted HttpOnly cookie; tokens are kept per user with
// rc.session(userKey) in a memory store; the app never prints or renders a secret.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createClient, isRcError, type RcClient, type TokenStore } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import type { MockServer } from '@rc/testing';
import { resolveTarget } from './config.js';
import { createHandler } from './server.js';
import { cookieSession } from './session.js';

export interface StartAppOptions {
  /** Port on 127.0.0.1. @default the port of RC_REDIRECT_URI when given, else 0 (any free port) */
  port?: number;
  /** RC_* variables. @default process.env */
  env?: Record<string, string | undefined>;
  /** Where user tokens live. @default memoryStore() */
  store?: TokenStore;
  /** The cookie-signing key (32 bytes or more). @default random per process */
  sessionSecret?: Uint8Array;
  /** Failure lines (never a secret). @default console.error */
  log?: (line: string) => void;
}

export interface App {
  /** The app's address, e.g. `http://127.0.0.1:3000`. */
  url: string;
  redirectUri: string;
  /** The client: one per app, a session per user. */
  rc: RcClient;
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
    const url = new URL(redirectUri).origin; // the cookie must be set on the callback's host
    const rc = createClient({
      server: target.server,
      clientId: target.clientId,
      ...(target.clientSecret ? { clientSecret: target.clientSecret } : {}),
      redirectUri,
      store: options.store ?? memoryStore(),
    });
    const handler = createHandler({
      rc,
      redirectUri,
      sessions: cookieSession({
        secure: redirectUri.startsWith('https:'),
        ...(options.sessionSecret ? { secret: options.sessionSecret } : {}),
      }),
      log: options.log ?? ((line) => console.error(line)),
    });
    server.on('request', (req, res) => void handler(req, res));
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => target.close());
      return closing;
    };
    return { url, redirectUri, rc, ...(target.mock ? { mock: target.mock } : {}), close };
  } catch (error) {
    await target.close();
    throw error;
  }
}

/** Starts the app and says where it is; resolves to the running app (close it to stop). */
export async function main(
  say: (line: string) => void = console.log,
  env: Record<string, string | undefined> = process.env,
): Promise<App> {
  const port = env.PORT ? Number(env.PORT) : (portOf(env.RC_REDIRECT_URI) ?? 3000);
  const app = await startApp({ env, port });
  say(
    app.mock
      ? `No RingCentral variables: signing in at the embedded mock server ${app.mock.url} (user ${app.mock.user.username}).`
      : `Signing in at ${app.rc.info.server}.`,
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
      console.error(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
      process.exitCode = 1;
    },
  );
}
