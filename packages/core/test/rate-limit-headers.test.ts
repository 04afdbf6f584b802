import { rateLimit } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, fakeClock, loggedIn, mockServer } from './fixtures.js';

// What a reply's rate-limit headers can say, and how far the client believes them.

const ACCOUNT = '/restapi/v1.0/account/~';
const VERSION = '/restapi/v1.0';
const HOUR = 3_600_000;

const timed = async <T>(p: Promise<T>) => {
  const t = Date.now();
  const value = await p;
  return { value, ms: Date.now() - t };
};

describe('rate limits: Retry-After and the rate-limit headers', () => {
  it('Retry-After as an HTTP date: the penalty lasts until that date, not the 30 s default', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000); // HTTP dates have whole seconds
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': at.toUTCString(), 'X-Rate-Limit-Group': 'Light' },
    });
    const { value, ms } = await timed(rc.get(EXT).json());
    expect(value).toMatchObject({ name: 'Mock User' });
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 50);
    expect(ms).toBeLessThan(4_000);
  });

  it('Retry-After as a date in the past: retried at once', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': new Date(Date.now() - 60_000).toUTCString(), 'X-Rate-Limit-Group': 'Light' },
    });
    const { ms } = await timed(rc.get(EXT).json());
    expect(ms).toBeLessThan(1_000);
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(2);
  });

  it('garbage Retry-After: the assumed penalty (defaultRetryAfterMs)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { defaultRetryAfterMs: 600 } });
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': 'soon', 'X-Rate-Limit-Group': 'Light' },
    });
    const { ms } = await timed(rc.get(EXT).json());
    expect(ms).toBeGreaterThanOrEqual(580);
    expect(ms).toBeLessThan(3_000);
  });

  it('a huge Retry-After is capped at 1 h: the group is held an hour, not for good', async () => {
    const server = await mockServer();
    const clock = fakeClock();
    const rc = await loggedIn(server, { plugins: [rateLimit({ now: clock.now, maxWaitMs: 1_000 })] });
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': '100000000', 'X-Rate-Limit-Group': 'Light' },
    });
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RateLimitError', group: 'Light', retryAfterMs: HOUR });
    clock.advance(HOUR - 2_000);
    expect(await rc.get(EXT).catch((e: unknown) => e)).toMatchObject({
      name: 'RateLimitError',
      retryAfterMs: 2_000,
    });
    clock.advance(2_000);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('a huge X-Rate-Limit-Window is capped at 1 h too', async () => {
    const server = await mockServer();
    const clock = fakeClock();
    const rc = await loggedIn(server, { plugins: [rateLimit({ now: clock.now, maxWaitMs: 1_000 })] });
    server.failNext({
      path: EXT,
      status: 200,
      body: { name: 'Mock User' },
      headers: {
        'X-Rate-Limit-Group': 'Light',
        'X-Rate-Limit-Limit': '5',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Window': '1000000000',
      },
    });
    await rc.get(EXT).json();
    // The budget is spent for the window: the next request is not sent into a sure 429.
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RateLimitError', group: 'Light' });
    expect((err as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(HOUR);
    clock.advance(HOUR);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('a 429 without a group header pauses the route’s learnt group, and nothing else', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    await rc.get(EXT).json();
    await rc.get(ACCOUNT).json(); // both learnt as Light
    server.failNext({ path: EXT, status: 429, headers: { 'Retry-After': '1' } });
    const events: unknown[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    const a = rc.get(EXT).json();
    await new Promise((r) => setTimeout(r, 50));
    const b = timed(rc.get(ACCOUNT).json()); // Light: waits
    const c = await timed(rc.get(VERSION).json()); // no group: goes at once
    expect(c.ms).toBeLessThan(300);
    expect((await b).ms).toBeGreaterThanOrEqual(800);
    await a;
    expect(events).toMatchObject([{ group: 'Light', retryAfterMs: 1000 }]);
  });

  it('a 429 without a group on a route of no known group pauses that route only', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    await rc.get(EXT).json();
    server.failNext({ path: VERSION, status: 429, headers: { 'Retry-After': '1' } });
    const a = timed(rc.get(VERSION).json());
    await new Promise((r) => setTimeout(r, 50));
    const b = await timed(rc.get(EXT).json());
    expect(b.ms).toBeLessThan(300);
    expect((await a).ms).toBeGreaterThanOrEqual(950);
  });
});
