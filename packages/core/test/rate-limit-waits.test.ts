import { concurrency, DEFAULT_MAX_WAIT_MS } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, loggedIn, mockServer, wireSpy } from './fixtures.js';

// Where the rate limiter waits: never inside ky's per-attempt timeout, never into a known penalty.

describe('rate limits: waits', () => {
  it('with the default maxWaitMs, a request paced behind an exhausted budget never fails (RingCentral’s ratios, a 1 s window)', async () => {
    // RingCentral: Heavy 10 a minute; one request, then 12, 8 at a time. The last three wait for
    // the window to renew; its end was counted from the last reply (later than their wait began),
    // and the default maxWaitMs was one window: they failed unsent.
    const WINDOW_MS = 1_000;
    const server = await mockServer({
      rateLimits: { Heavy: { limit: 10, windowSec: WINDOW_MS / 1000, penaltySec: WINDOW_MS / 1000 } },
      latencyMs: 50,
    });
    const rc = await loggedIn(server, {
      rateLimit: { maxWaitMs: (DEFAULT_MAX_WAIT_MS * WINDOW_MS) / 60_000 }, // the default, scaled
      plugins: [concurrency({ max: 8 })],
    });
    const callLog = '/restapi/v1.0/account/~/extension/~/call-log';
    await rc.get(callLog).json(); // learns the budget: 9 left of 10
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => rc.get(callLog).json()));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failed).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
  });

  it('a job at the limit (RingCentral’s groups, a 1 s window): no request fails, none draws a 429, waiters go in turn', async () => {
    // 30 Heavy and 50 Light GETs, 8 at a time, as an app's job loops send them. With more Heavy
    // waiters than a renewal frees, one woken later took the turn of one that had waited longer,
    // which then waited past maxWaitMs and failed unsent.
    const WINDOW_MS = 1_000;
    const rule = { windowSec: WINDOW_MS / 1000, penaltySec: WINDOW_MS / 1000 };
    const server = await mockServer({
      rateLimits: { Heavy: { limit: 10, ...rule }, Light: { limit: 50, ...rule } },
    });
    const rc = await loggedIn(server, {
      rateLimit: { maxWaitMs: (DEFAULT_MAX_WAIT_MS * WINDOW_MS) / 60_000 },
      plugins: [concurrency({ max: 8 })],
    });
    const heavy = '/restapi/v1.0/account/~/extension/~/call-log';
    const light = '/restapi/v1.0/account/~/extension/~/presence';
    await rc.get(heavy).json();
    await rc.get(light).json();
    const paths = Array.from({ length: 50 }, (_, i) => (i < 30 ? [heavy, light] : [light])).flat();
    const failed: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < paths.length) {
          await rc
            .get(paths[next++]!)
            .json()
            .catch((e: unknown) => failed.push(String(e)));
        }
      }),
    );
    expect(failed).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
  }, 20_000);

  it('200 concurrent requests meeting a 429 (default timeout): all succeed, none times out, none is sent during the penalty', async () => {
    // The numbers: limit 50 per 5 s, a 3 s penalty.
    const server = await mockServer({ rateLimits: { Light: { limit: 50, windowSec: 5, penaltySec: 3 } } });
    const spy = wireSpy();
    const rc = await loggedIn(server, { plugins: [spy.plugin] });
    const limited: number[] = [];
    rc.on('rateLimited', () => limited.push(Date.now()));
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => rc.get(EXT).json()));
    const failed = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(failed.map((e: Error) => e.name)).toEqual([]);
    expect(limited.length).toBeGreaterThan(0);
    // From the first 429 back until the penalty (3 s from the last 429 of that wave) is over, nothing went out.
    const first = limited[0]!;
    const last = limited.filter((t) => t - first < 1000).at(-1)!;
    const during = spy.sent.filter((s) => s.at > first && s.at < last + 3000);
    expect(during).toEqual([]);
    // The server saw only the requests already on the wire when the first 429 came back arrive
    // during the penalty (150 of the first 200), and no herd after it.
    expect(server.stats.duringPenalty).toBeLessThanOrEqual(150);
    expect(server.stats.byStatus['200']).toBe(201); // and the login
  }, 40_000);

  it('a burst of 120 on a client that has learnt "limit 40, window 2 s": no 429, no failure', async () => {
    const server = await mockServer({ rateLimits: { Light: { limit: 40, windowSec: 2, penaltySec: 1 } } });
    const rc = await loggedIn(server);
    await rc.get(EXT).json(); // learns Light: limit 40, 39 left, window 2 s
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 120 }, () => rc.get(EXT).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBe(0);
    expect(server.stats.byStatus['200']).toBe(122); // the login, the first request, the burst
    // 39 + 40 + 40 + 1: it took at least two more windows.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3_900);
  }, 30_000);

  it('a penalty longer than maxWaitMs: RateLimitError at once, and nothing is sent during the penalty', async () => {
    const server = await mockServer({ rateLimits: { Light: { limit: 3, windowSec: 1, penaltySec: 3 } } });
    // Another client of the same user spends the budget, so this one meets the 429 unwarned.
    const other = await loggedIn(server, { rateLimit: false, retry: 0 });
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 500 } });
    for (let i = 0; i < 3; i++) await other.get(EXT).json();
    const startedAt = Date.now();
    const first = await rc.get(EXT).catch((e: unknown) => e); // the 429: Retry-After 3 s > maxWaitMs
    expect(first).toMatchObject({ name: 'RateLimitError', code: 'RC_RATE_LIMIT', group: 'Light' });
    expect((first as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(2_500);
    const sent = server.stats.byEndpoint[`GET ${EXT}`];
    // 8 more over 1.6 s: each fails at once, unsent.
    for (let i = 0; i < 8; i++) {
      const t = Date.now();
      const err = await rc.get(EXT).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'RateLimitError', code: 'RC_RATE_LIMIT', group: 'Light' });
      expect(Date.now() - t).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(sent);
    expect(server.stats.duringPenalty).toBe(0);
    const left = (first as { retryAfterMs: number }).retryAfterMs - (Date.now() - startedAt);
    await new Promise((r) => setTimeout(r, left + 100)); // the penalty is over
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  }, 15_000);

  it('a wait honours the request’s AbortSignal', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': '2', 'X-Rate-Limit-Group': 'Light' },
    });
    await rc.get(EXT, { retry: 0 }).catch(() => undefined);
    const t = Date.now();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const err = await rc.get(EXT, { signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError'); // the signal's own reason
    expect(Date.now() - t).toBeLessThan(600);
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(1);
  });
});

// Issue 18: RateLimitError said "was not sent" for a request whose first attempt was sent (only its
// retry was not). It now says which, and `sent` tells a program.
describe('RateLimitError says whether the request went out', () => {
  const penalty = { status: 429, headers: { 'Retry-After': '5', 'X-Rate-Limit-Group': 'Light' } };

  it('a 429 that cannot be waited out: "was sent", its retry was not; the next request: "was not sent"', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 300 } });
    server.failNext({ path: EXT, ...penalty });
    const first = await rc.get(EXT).catch((e: unknown) => e);
    expect(first).toMatchObject({ name: 'RateLimitError', sent: true });
    expect((first as Error).message).toMatch(/was sent \(HTTP 429\); its retry was not/);
    expect((first as Error).message).not.toMatch(/was not sent/);
    const next = await rc.get(EXT).catch((e: unknown) => e);
    expect(next).toMatchObject({ name: 'RateLimitError', sent: false });
    expect((next as Error).message).toMatch(/was not sent/);
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(1);
  });

  it('a retry after a 5xx held back by a penalty: "was sent", its retry was not', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, {
      rateLimit: { maxWaitMs: 300 },
      retry: { limit: 1, backoffLimit: 50 },
    });
    await rc.get(EXT).json(); // the route's group (Light) is learnt
    // The 503 comes back while the group is under a penalty learnt meanwhile from another reply.
    server.failNext({ path: EXT, status: 503, delayMs: 100 });
    const pending = rc.get(EXT).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    server.failNext({ path: '/restapi/v1.0/account/~', ...penalty });
    await rc.get('/restapi/v1.0/account/~', { retry: 0 }).catch(() => undefined);
    const error = await pending;
    expect(error).toMatchObject({ name: 'RateLimitError', sent: true });
    expect((error as Error).message).toMatch(/was sent \(HTTP 503\); its retry was not/);
  });
});

describe('RateLimitError on a token request', () => {
  it('a 429 from the token endpoint whose penalty outlasts maxWaitMs: "was sent", its retry was not', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 300 } });
    server.failNext({ path: '/restapi/oauth/token', status: 429, headers: { 'Retry-After': '5' } });
    const error = await rc.refresh().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RateLimitError', sent: true });
    expect((error as Error).message).toMatch(
      /POST \/restapi\/oauth\/token was sent \(HTTP 429\); its retry was not/,
    );
  });
});
