// A client of a mock server that logs in by itself as the mock's user (the password grant), for
// the suites that need a plain signed-in client (subscriptions, webhooks). Test-only, imported by path.
import { passwordGrant } from '@rc/auth-password';
import { createClient, type RcClient, type TokenStore } from '@rc/core';
import type { MockServer } from '@rc/testing';

export function mockClient(mock: MockServer, store?: TokenStore): RcClient {
  return createClient({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    grant: passwordGrant({ username: mock.user.username, password: mock.user.password }),
    ...(store ? { store } : {}),
  });
}

/** What a child process needs to make the same client (`mockClient`'s login), as JSON-safe fields. */
export function mockLogin(mock: MockServer) {
  return {
    mockUrl: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    username: mock.user.username,
    password: mock.user.password,
  };
}
