import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import { afterEach, beforeEach } from 'vitest';
import type { Notification, SubscribeOptions, Subscription } from '../src/index.js';

// Shared plumbing: a mock server with short gateway timings, clients of it (test-support/), fast
// subscription timings, and bounded waits (test-support/: every wait fails with a message).

export const EVENT = '/restapi/v1.0/account/~/extension/~/message-store';
export const FILTERS = [EVENT];

export { mockClient } from '../../../test-support/mock-client.js';
export { sleep, waitFor } from '../../../test-support/wait.js';

export function startMock(webSocket: MockServerOptions['webSocket'] = {}): Promise<MockServer> {
  return startMockServer({ webSocket: { recoveryTimeoutSec: 5, idleTimeoutSec: 2, ...webSocket } });
}

/**
 * The setup most in-process tests share: a fresh mock (startMock) for each test, and every
 * subscription the test tracked closed after it (with `close`), then the mock.
 */
export function mockPerTest(close: { unsubscribe?: boolean } = {}) {
  const opened: Subscription[] = [];
  const t = {
    mock: undefined as unknown as MockServer,
    /** Keeps `sub` to be closed after the test; returns it. */
    track(sub: Subscription): Subscription {
      opened.push(sub);
      return sub;
    },
  };
  beforeEach(async () => {
    t.mock = await startMock();
  });
  afterEach(async () => {
    for (const sub of opened.splice(0)) await sub.close(close);
    await t.mock.close();
  });
  return t;
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
