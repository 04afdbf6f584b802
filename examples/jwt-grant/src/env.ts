import { startMockServer } from '@rc/testing';

/** Where the demo runs: real RingCentral when the RC_* variables are set, else an embedded mock server. */
export interface Target {
  kind: 'ringcentral' | 'mock';
  server: string;
  clientId: string;
  clientSecret: string;
  /** The JWT credential (a secret: never printed). */
  jwt: string;
  /** Only on the mock: makes every access token invalid, as if it had expired. */
  invalidateAccessTokens?: () => void;
  close(): Promise<void>;
}

const REQUIRED = ['RC_CLIENT_ID', 'RC_CLIENT_SECRET', 'RC_JWT'] as const;
const SANDBOX = 'https://platform.devtest.ringcentral.com';

export async function resolveTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const given = REQUIRED.filter((name) => env[name]);
  if (given.length === REQUIRED.length) {
    return {
      kind: 'ringcentral',
      server: env.RC_SERVER_URL || SANDBOX,
      clientId: env.RC_CLIENT_ID!,
      clientSecret: env.RC_CLIENT_SECRET!,
      jwt: env.RC_JWT!,
      close: async () => {},
    };
  }
  if (given.length > 0) {
    const missing = REQUIRED.filter((name) => !env[name]);
    throw new Error(`Some RingCentral variables are set but not all: missing ${missing.join(', ')}`);
  }
  const mock = await startMockServer({ latencyMs: { min: 5, max: 30 } });
  return {
    kind: 'mock',
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    jwt: mock.jwt,
    invalidateAccessTokens: () => mock.invalidateAccessTokens(),
    close: () => mock.close(),
  };
}
