import { type MockServer, startMockServer } from '@rc/testing';

/** Where the app signs users in: real RingCentral when the RC_* variables are set, else an embedded mock server. */
export interface Target {
  server: string;
  clientId: string;
  /** Absent for a public app (PKCE only). Never shown. */
  clientSecret: string | undefined;
  /** The redirect URI registered for the app, when given; else the app's own `/callback`. */
  redirectUri: string | undefined;
  /** The embedded mock server, when no RingCentral variables were given. */
  mock?: MockServer;
  close(): Promise<void>;
}

const REQUIRED = ['RC_SERVER_URL', 'RC_CLIENT_ID', 'RC_REDIRECT_URI'] as const;

export async function resolveTarget(env: Record<string, string | undefined>): Promise<Target> {
  const given = REQUIRED.filter((name) => env[name]);
  if (given.length === REQUIRED.length) {
    return {
      server: env.RC_SERVER_URL!,
      clientId: env.RC_CLIENT_ID!,
      clientSecret: env.RC_CLIENT_SECRET || undefined,
      redirectUri: env.RC_REDIRECT_URI!,
      close: async () => {},
    };
  }
  if (given.length > 0 || env.RC_CLIENT_SECRET) {
    const missing = REQUIRED.filter((name) => !env[name]);
    throw new Error(`Some RingCentral variables are set but not all: missing ${missing.join(', ')}`);
  }
  const mock = await startMockServer();
  return {
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    redirectUri: undefined,
    mock,
    close: () => mock.close(),
  };
}
