import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { subscribe } from '../src/index.js';
import {
  EVENT,
  FAST,
  FILTERS,
  mockClient,
  mockPerTest,
  numbers,
  range,
  record,
  sleep,
  startMock,
  waitFor,
} from './helpers.js';

// Drops and recovery against the mock gateway: the session is recovered with the wsc token and
// the events missed meanwhile are delivered once, in order; when recovery is impossible the
// subscription is made again and says so.

const t = mockPerTest();

describe('recovery after a dropped connection', () => {
  it('100 notifications with an abrupt drop in the middle: all 100, in order, none twice', async () => {
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    for (const n of range(1, 100)) {
      t.mock.notify(EVENT, { n });
      // The drop lands while notifications are in flight: some sent, not all received.
      if (n === 50) expect(t.mock.webSocket.drop()).toBe(1);
    }
    await waitFor(() => seen.notifications.length >= 100, 5_000, '100 notifications');
    expect(numbers(seen.notifications)).toEqual(range(1, 100));
    expect(new Set(seen.notifications.map((n) => n.uuid)).size).toBe(100);
    expect(seen.events).toContain('recovered');
    expect(seen.events).not.toContain('resubscribed');
    expect(t.mock.stats.webSocket).toMatchObject({
      recoveries: { successful: 1, failed: 0 },
      subscriptions: 1,
    });
    expect(seen.notifications.every((n) => n.subscriptionId === sub.id)).toBe(true);
  });

  it('a silent drop (no close, no answers) is noticed by heartbeat within the timeout, then recovered', async () => {
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    const dropped = Date.now();
    t.mock.webSocket.drop({ silent: true });
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.events.includes('recovered'), 3_000, 'recovery');
    // interval 100 ms + timeout 300 ms, plus the reconnect: well under a second.
    expect(Date.now() - dropped).toBeLessThan(1_500);
    await waitFor(() => seen.notifications.length >= 1, 2_000, 'the missed notification');
    expect(numbers(seen.notifications)).toEqual([1]);
    expect(seen.errors.some((e) => /heartbeat/.test(e.message))).toBe(true);
  });

  it('heartbeats keep a quiet connection open past the gateway idle timeout', async () => {
    await t.mock.close();
    t.mock = await startMock({ idleTimeoutSec: 0.3 });
    const sub = t.track(
      await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST, heartbeatIntervalMs: 1_000 }),
    );
    const seen = record(sub);
    await new Promise((r) => setTimeout(r, 900));
    // The interval is lowered to half the gateway's idleTimeout: no idle close, no reconnect.
    expect(t.mock.stats.webSocket.connections).toBe(1);
    expect(t.mock.stats.webSocket.heartbeats).toBeGreaterThan(2);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'a notification');
    expect(seen.errors).toEqual([]);
  });
});

describe('the Auth group', () => {
  it('reconnects reuse the ws token: 3 drops, 1 wstoken request', async () => {
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    for (const n of [1, 2, 3]) {
      t.mock.webSocket.drop();
      t.mock.notify(EVENT, { n });
      await waitFor(() => seen.notifications.length === n, 3_000, `notification ${n}`);
    }
    expect(t.mock.stats.byEndpoint['POST /restapi/oauth/wstoken']).toBe(1);
    expect(t.mock.stats.webSocket.recoveries.successful).toBe(3);
  });
});

describe('a flapping gateway', () => {
  it('connections that die right after opening back off (bounded attempts), then delivery resumes', async () => {
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    t.mock.resetStats();
    const flap = setInterval(() => t.mock.webSocket.drop(), 5);
    await new Promise((r) => setTimeout(r, 1_000));
    clearInterval(flap);
    // 20 ms doubling to 200 ms, jittered: about 8 attempts in a second, not hundreds.
    expect(t.mock.stats.webSocket.connections).toBeGreaterThan(2);
    expect(t.mock.stats.webSocket.connections).toBeLessThan(16);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 3_000, 'a notification once the gateway is calm');
    expect(t.mock.stats.byEndpoint['POST /restapi/oauth/wstoken'] ?? 0).toBe(0); // the ws token was reused
  });
});

describe('when the session cannot be recovered', () => {
  it("recovery window exceeded: 'resubscribed' with a new id, later events delivered", async () => {
    await t.mock.close();
    t.mock = await startMock({ recoveryTimeoutSec: 0.1 });
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    const firstId = sub.id;
    const resubscribed = new Promise<{ previousId: string; subscriptionId: string }>((resolve) =>
      sub.on('resubscribed', resolve),
    );
    // Silent: noticed after ~400 ms of heartbeat timeout, past the 100 ms window.
    t.mock.webSocket.drop({ silent: true });
    const info = await resubscribed;
    expect(info.previousId).toBe(firstId);
    expect(info.subscriptionId).toBe(sub.id);
    expect(sub.id).not.toBe(firstId);
    expect(t.mock.stats.webSocket.recoveries).toEqual({ successful: 0, failed: 1 });
    await waitFor(() => seen.events.filter((e) => e === 'connected').length === 1, 2_000, 'connected');
    for (const n of range(1, 5)) t.mock.notify(EVENT, { n });
    await waitFor(() => seen.notifications.length === 5, 2_000, '5 notifications');
    expect(numbers(seen.notifications)).toEqual(range(1, 5));
    expect(seen.events).not.toContain('recovered');
  });

  it("the gateway refuses recovery: 'resubscribed', and delivery goes on", async () => {
    const sub = t.track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    t.mock.webSocket.refuseRecovery();
    t.mock.webSocket.drop();
    await waitFor(() => seen.events.includes('resubscribed'), 3_000, "'resubscribed'");
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'a notification');
    expect(t.mock.stats.webSocket.subscriptions).toBe(2);
  });
});

describe('long-lived subscriptions', () => {
  it('the access token refreshed and invalidated at the server: still delivering', async () => {
    await t.mock.close();
    t.mock = await startMock({ tokenTtlSec: 0.3 });
    const rc = mockClient(t.mock);
    const sub = t.track(await subscribe(rc, { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'notification 1');
    // A refresh (the old access token dies at once), then every access token invalidated.
    await rc.refresh();
    t.mock.invalidateAccessTokens();
    t.mock.notify(EVENT, { n: 2 });
    // The cached ws token expires: the next connection needs a new wstoken, which gets a 401,
    // a refresh through the token manager, and a retry.
    await new Promise((r) => setTimeout(r, 400));
    t.mock.webSocket.drop();
    t.mock.notify(EVENT, { n: 3 });
    await waitFor(() => seen.notifications.length === 3, 3_000, '3 notifications');
    expect(numbers(seen.notifications)).toEqual([1, 2, 3]);
    expect(t.mock.stats.byGrant.refresh_token).toBe(2);
    expect(t.mock.stats.webSocket.tokens).toBe(2);
    expect(t.mock.stats.byEndpoint['POST /restapi/oauth/wstoken']).toBe(3); // one 401, retried
    expect(seen.events).toContain('recovered');
  });

  it('renews before absoluteTimeout: a planned reconnect that recovers the session and loses nothing', async () => {
    await t.mock.close();
    t.mock = await startMock({ absoluteTimeoutSec: 0.6 });
    const sub = t.track(
      await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST, renewBeforeMs: 200 }),
    );
    const seen = record(sub);
    for (const n of range(1, 30)) {
      t.mock.notify(EVENT, { n });
      await new Promise((r) => setTimeout(r, 30));
    }
    await waitFor(() => seen.notifications.length === 30, 3_000, '30 notifications');
    expect(numbers(seen.notifications)).toEqual(range(1, 30));
    // ~900 ms at one renewal per ~400 ms: at least one planned reconnect, each one recovered.
    expect(t.mock.stats.webSocket.recoveries.successful).toBeGreaterThanOrEqual(1);
    expect(t.mock.stats.webSocket.recoveries.failed).toBe(0);
    expect(t.mock.stats.webSocket.subscriptions).toBe(1);
  });

  it('renews the subscription (PUT) before it expires', async () => {
    await t.mock.close();
    t.mock = await startMock({ subscriptionTtlSec: 0.5 });
    const sub = t.track(
      await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST, renewBeforeMs: 200 }),
    );
    const seen = record(sub);
    await new Promise((r) => setTimeout(r, 1_000));
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'a notification after two lifetimes');
    expect(t.mock.stats.webSocket.subscriptions).toBe(1);
    expect(seen.errors).toEqual([]);
  });

  it('keeps renewing the subscription after a recovery (the renewal belonged to the lost connection)', async () => {
    await t.mock.close();
    // A 1 s lifetime renewed 500 ms before its end: room for a stall on a loaded machine.
    t.mock = await startMock({ subscriptionTtlSec: 1 });
    const sub = t.track(
      await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST, renewBeforeMs: 500 }),
    );
    const seen = record(sub);
    t.mock.webSocket.drop();
    await waitFor(() => seen.events.includes('recovered'), 3_000, "'recovered'");
    // Two lifetimes after the recovery: delivered only if the recovered connection renewed it.
    await sleep(2_100);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'a notification two lifetimes later');
    expect(t.mock.stats.webSocket.subscriptions).toBe(1);
    expect(seen.errors.filter((e) => /renew|subscrib/i.test(e.message))).toEqual([]);
  });

  it('a session recovered by another subscribe() on the store is renewed when its time comes', async () => {
    await t.mock.close();
    t.mock = await startMock({ subscriptionTtlSec: 1 });
    const store = memoryStore();
    const rc = mockClient(t.mock, store);
    const first = await subscribe(rc, { eventFilters: FILTERS, ...FAST, renewBeforeMs: 500, key: 'r' });
    await first.close({ unsubscribe: false });
    const sub = t.track(
      await subscribe(rc, { eventFilters: FILTERS, ...FAST, renewBeforeMs: 500, key: 'r' }),
    );
    const seen = record(sub);
    await waitFor(() => seen.events.includes('recovered'), 2_000, "'recovered'");
    await sleep(2_100);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seen.notifications.length === 1, 2_000, 'a notification two lifetimes later');
    expect(t.mock.stats.webSocket.subscriptions).toBe(1);
    expect(seen.errors).toEqual([]);
  });
});
