import { passwordGrant } from '@rc/auth-password';
import { createClient, type RcClient, type TokenStore } from '@rc/core';
import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import type { Notification, SubscribeOptions, Subscription } from '../src/index.js';

// Shared plumbing: a mock server with short gateway timings, clients of it, fast subscription
// timings, and bounded waits (every wait fails with a message instead of hanging).

export const EVENT = '/restapi/v1.0/account/~/extension/~/message-store';
export const FILTERS = [EVENT];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startMock(webSocket: MockServerOptions['webSocket'] = {}): Promise<MockServer> {
  return startMockServer({ webSocket: { recoveryTimeoutSec: 5, idleTimeoutSec: 2, ...webSocket } });
}

export function mockClient(mock: MockServer, store?: TokenStore): RcClient {
  return createClient({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    grant: passwordGrant({ username: mock.user.username, password: mock.user.password }),
    ...(store ? { store } : {}),
  });
}

/** Subscription timings for tests: dead connections noticed in well under a second. */
export const FAST: Partial<SubscribeOptions> = {
  heartbeatIntervalMs: 100,
  heartbeatTimeoutMs: 300,
  connectTimeoutMs: 2_000,
  requestTimeoutMs: 2_000,
  reconnectDelayMs: 20,
  maxReconnectDelayMs: 200,
  leaseTtlMs: 600,
};

/** Resolves when `condition()` is true; rejects after `ms` with `what`. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Everything a subscription emits, recorded. */
export function record(sub: Subscription) {
  const seen = {
    notifications: [] as Notification[],
    events: [] as string[],
    errors: [] as Error[],
  };
  sub.on('notification', (n) => {
    seen.notifications.push(n);
  });
  for (const name of ['connected', 'recovered', 'resubscribed'] as const) {
    sub.on(name, () => {
      seen.events.push(name);
    });
  }
  sub.on('error', (e) => {
    seen.errors.push(e);
  });
  return seen;
}

/** The `n` field of each notification body, in delivery order. */
export const numbers = (notifications: Notification[]) =>
  notifications.map((n) => (n.body as { n: number }).n);

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
