import { startMockServer } from './mock-server/server.js';
import type { MockServerOptions } from './mock-server/types/options.js';
import type { MockServer } from './mock-server/types/server.js';

/**
 * Where an example or demo runs: real RingCentral when the `RC_*` variables are set, else an
 * embedded mock server. The one copy of this rule for every example.
 */
export interface DemoTarget {
  /** `ringcentral` when every RC_* variable is set, else `mock`. */
  kind: 'ringcentral' | 'mock';
  /** The server URL. */
  server: string;
  /** The client id. */
  clientId: string;
  /** The client secret (a secret: never print it). */
  clientSecret: string;
  /** The login name for the password grant. */
  username: string;
  /** The extension number, when given. */
  extension: string | undefined;
  /** The password (a secret: never print it). */
  password: string;
  /** Only on the mock: the server itself (to send notifications, drop connections, ...). */
  mock?: MockServer;
  /** Only on the mock: makes every access token invalid, as if it had expired. */
  invalidateAccessTokens?: () => void;
  /** Stops the embedded mock server (nothing for real RingCentral). */
  close(): Promise<void>;
}

const REQUIRED = ['RC_SERVER_URL', 'RC_CLIENT_ID', 'RC_CLIENT_SECRET', 'RC_USERNAME', 'RC_PASSWORD'] as const;

/**
 * Reads `RC_SERVER_URL`, `RC_CLIENT_ID`, `RC_CLIENT_SECRET`, `RC_USERNAME`, `RC_EXTENSION`
 * (optional) and `RC_PASSWORD`; with none of them set, starts a mock server (`mockOptions`) instead.
 * Some but not all of them set is an error naming the missing ones.
 */
export async function demoTarget(
  env: Record<string, string | undefined> = process.env,
  mockOptions: MockServerOptions = { latencyMs: { min: 5, max: 30 } },
): Promise<DemoTarget> {
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
  const mock = await startMockServer(mockOptions);
  return {
    kind: 'mock',
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    username: mock.user.username,
    extension: mock.user.extension,
    password: mock.user.password,
    mock,
    invalidateAccessTokens: () => mock.invalidateAccessTokens(),
    close: () => mock.close(),
  };
}
