import { type MockServer, startMockServer } from '@rc/testing';

/** Where the example runs: real RingCentral when RC_* variables are set, else an embedded mock server. */
export interface Target {
  kind: 'ringcentral' | 'mock';
  server: string;
  clientId: string;
  clientSecret: string;
  username: string;
  extension: string | undefined;
  password: string;
  /** Only on the mock: the server, to send events and drop the connection. */
  mock?: MockServer;
  close(): Promise<void>;
}

const REQUIRED = ['RC_SERVER_URL', 'RC_CLIENT_ID', 'RC_CLIENT_SECRET', 'RC_USERNAME', 'RC_PASSWORD'] as const;

export async function resolveTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const given = REQUIRED.filter((name) => env[name]);
  if (given.length === REQUIRED.length) {
    return {
      kind: 'ringcentral',
      server: env.RC_SERVER_URL!,
      clientId: env.RC_CLIENT_ID!,
      clientSecret: env.RC_CLIENT_SECRET!,
      username: env.RC_USERNAME!,
      extension: env.RC_EXTENSION || undefined,
      password: env.RC_PASSWORD!,
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
    username: mock.user.username,
    extension: mock.user.extension,
    password: mock.user.password,
    mock,
    close: () => mock.close(),
  };
}
