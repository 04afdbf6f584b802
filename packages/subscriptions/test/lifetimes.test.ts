import { afterEach, describe, expect, it } from 'vitest';
import { type Subscription, subscribe } from '../src/index.js';
import { FILTERS, sleep, waitFor } from './helpers.js';
import { closeAll, type HostileGateway, type Script, startHostileGateway } from './hostile-gateway.js';
import { type TimerLog, trackTimers } from './timers.js';

// Lifetimes are the gateway's word, and a gateway may say anything: an `absoluteTimeout` or an
// `expiresIn` of 0, negative, not a number, or ten years (RingCentral allows 315,360,000 s, past
// setTimeout's 2^31-1 ms, where a timer fires at once). None may cause a storm of reconnections,
// subscriptions or renewals; and close() leaves no timer behind, whatever it interrupts.

const OPTIONS = { eventFilters: FILTERS, reconnectDelayMs: 100, maxReconnectDelayMs: 1_000 };
let gateway: HostileGateway | undefined;
let sub: Subscription | undefined;
let timers: TimerLog | undefined;

afterEach(async () => {
  timers?.restore();
  await closeAll(sub, gateway);
  [sub, gateway, timers] = [undefined, undefined, undefined];
});

const HOSTILE = [0, -30, 'NaN', null, 1e-9, 2_147_484, 315_360_000, 1e300];

/** A gateway following `script` for `ms` with one subscription; its counters at the end. */
async function countFor(script: Script, ms: number): Promise<HostileGateway['stats']> {
  const g = await startHostileGateway(script);
  const s = await subscribe(await g.client(), OPTIONS);
  await sleep(ms);
  const stats = { ...g.stats };
  await closeAll(s, g);
  return stats;
}

describe('a gateway lifetime that is 0, negative, not a number or beyond setTimeout', () => {
  it.each(HOSTILE)('absoluteTimeout %o: a bounded number of reconnections', async (absoluteTimeout) => {
    const stats = await countFor({ details: { absoluteTimeout } }, 1_000);
    // 100 ms doubling to 1 s, jittered: at most about 5 in 1 s (it was hundreds).
    expect(stats.connections).toBeLessThanOrEqual(6);
    expect(stats.posts).toBeLessThanOrEqual(6);
    expect(stats.wstokens).toBeLessThanOrEqual(2);
  });

  it.each(HOSTILE)("a subscription's expiresIn %o: a bounded number of renewals", async (expiresIn) => {
    const stats = await countFor({ expiresIn }, 1_000);
    expect(stats.puts).toBeLessThanOrEqual(6);
    expect(stats.connections).toBe(1);
  });

  it.each(HOSTILE)("a ws token's expires_in %o: one token, one connection, timers in range", async (ttl) => {
    timers = trackTimers();
    gateway = await startHostileGateway();
    sub = await subscribe(await gateway.client({ tokenTtlSec: ttl as number }), OPTIONS);
    await sleep(500);
    expect(gateway.stats.wstokens).toBe(1);
    expect(gateway.stats.connections).toBe(1);
    const delays = timers.started();
    expect(delays.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= 2 ** 31 - 1)).toBe(true);
  });

  it('no timer is ever asked for beyond setTimeout range, nor for a negative time', async () => {
    timers = trackTimers();
    gateway = await startHostileGateway({ details: { absoluteTimeout: 1e12 }, expiresIn: 1e12 });
    sub = await subscribe(await gateway.client(), OPTIONS);
    await sleep(200);
    const delays = timers.started();
    expect(delays.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= 2 ** 31 - 1)).toBe(true);
  });
});

describe('close() leaves no timer, whatever it meets', () => {
  it.each([0, 15, 40, 80, 150])('during a reconnection storm (closed after %i ms)', async (after) => {
    timers = trackTimers();
    // Reconnections every few ms, each subscribing anew (900 s lifetimes): close() meets one mid-request.
    gateway = await startHostileGateway({ details: { absoluteTimeout: 0 }, replyDelayMs: 30 });
    const s = await subscribe(await gateway.client(), { ...OPTIONS, reconnectDelayMs: 20 });
    await sleep(after);
    await s.close();
    await sleep(100); // a late reply to a request made before close() must not schedule anything
    expect(timers.pending()).toEqual([]);
  });

  it.each([0, 15, 40, 80, 150])('during a renewal storm (closed after %i ms)', async (after) => {
    timers = trackTimers();
    // expiresIn 0: renewals as fast as the floor and backoff allow, each answered after 30 ms.
    gateway = await startHostileGateway({ expiresIn: 0, replyDelayMs: 30 });
    const s = await subscribe(await gateway.client(), OPTIONS);
    await sleep(after);
    await s.close();
    await sleep(100); // a renewal's late reply must not schedule the next one
    expect(timers.pending()).toEqual([]);
  });

  it('in a steady state (renewal, heartbeat and lifetime timers all set)', async () => {
    timers = trackTimers();
    gateway = await startHostileGateway();
    const s = await subscribe(await gateway.client(), OPTIONS);
    await sleep(100);
    expect(timers.pending().length).toBeGreaterThan(0); // what close() has to clear
    await s.close();
    expect(timers.pending()).toEqual([]);
  });

  it('while waiting out the backoff after the gateway dropped the socket', async () => {
    timers = trackTimers();
    gateway = await startHostileGateway();
    const g = gateway;
    const log = timers;
    sub = await subscribe(await g.client(), {
      ...OPTIONS,
      reconnectDelayMs: 2_000,
      maxReconnectDelayMs: 4_000,
    });
    const before = log.started().length;
    for (const ws of g.sockets) ws.terminate();
    // The reconnect is scheduled (1-4 s away, jittered), not yet made.
    const backoff = () =>
      log
        .started()
        .slice(before)
        .some((ms) => ms >= 900 && ms <= 4_000);
    await waitFor(backoff, 2_000, 'the backoff timer');
    expect(g.stats.connections).toBe(1);
    await sub.close();
    await sleep(100);
    expect(log.pending()).toEqual([]);
    expect(g.stats.connections).toBe(1);
  });

  it('while a subscribe request is unanswered (the reply comes after close)', async () => {
    timers = trackTimers();
    gateway = await startHostileGateway({ replyDelayMs: 200 });
    const controller = new AbortController();
    const pending = subscribe(await gateway.client(), { ...OPTIONS, signal: controller.signal });
    await waitFor(() => gateway?.stats.posts === 1, 2_000, 'the subscribe request');
    controller.abort();
    await pending.catch(() => undefined);
    await sleep(400); // the reply arrives meanwhile: it must not schedule a renewal
    expect(timers.pending()).toEqual([]);
  });
});
