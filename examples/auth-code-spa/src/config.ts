import { type MockServer, startMockServer } from '@rc/testing';

/** Where the page signs users in: real RingCentral when the RC_* variables are set, else an embedded mock server. */
export interface Target {
  server: string;
  /** A public client: a browser cannot keep a secret. */
  clientId: string;
  /** The redirect URI registered for the app, when given; else the page's own `/callback`. */
  redirectUri: string | undefined;
  /** The embedded mock server, when no RingCentral variables were given. */
  mock?: MockServer;
  close(): Promise<void>;
}

const REQUIRED = ['RC_SERVER_URL', 'RC_CLIENT_ID', 'RC_REDIRECT_URI'] as const;

export async function resolveTarget(env: Record<string, string | undefined>): Promise<Target> {
  if (env.RC_CLIENT_SECRET) {
    throw new Error(
      'RC_CLIENT_SECRET is set, but a browser app must not hold a secret: use an app without one (PKCE).',
    );
  }
  const given = REQUIRED.filter((name) => env[name]);
  if (given.length === REQUIRED.length) {
    return {
      server: env.RC_SERVER_URL!,
      clientId: env.RC_CLIENT_ID!,
      redirectUri: env.RC_REDIRECT_URI!,
      close: async () => {},
    };
  }
  if (given.length > 0) {
    const missing = REQUIRED.filter((name) => !env[name]);
    throw new Error(`Some RingCentral variables are set but not all: missing ${missing.join(', ')}`);
  }
  const mock = await startMockServer();
  return {
    server: mock.url,
    clientId: mock.publicClientId,
    redirectUri: undefined,
    mock,
    close: () => mock.close(),
  };
}
