import { describe, expect, it } from 'vitest';
import { EXT, loggedIn, mockServer } from './fixtures.js';

// The Auth group: token requests go through the limiter like API requests.

const TOKEN = '/restapi/oauth/token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rate limits: the Auth group', () => {
  it('a 429 on a refresh holds it: 10 refresh() calls 100 ms apart, one request to the endpoint after the penalty', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const before = server.stats.byEndpoint[`POST ${TOKEN}`]!;
    const events: unknown[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    server.failNext({ path: TOKEN, status: 429, headers: { 'Retry-After': '1' } }); // no group header
    const t0 = Date.now();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      calls.push(rc.refresh());
      await sleep(100);
    }
    const tokens = await Promise.all(calls);
    expect(new Set(tokens.map((t) => (t as { accessToken: string }).accessToken)).size).toBe(1);
    expect(server.stats.byEndpoint[`POST ${TOKEN}`]! - before).toBe(2); // the 429, then one after the penalty
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(events).toMatchObject([{ group: 'Auth', retryAfterMs: 1000, method: 'POST' }]);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('a penalty longer than tokenTimeoutMs: the refresh times out, and its retry is never sent after', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { tokenTimeoutMs: 300 });
    const before = server.stats.byEndpoint[`POST ${TOKEN}`]!;
    server.failNext({ path: TOKEN, status: 429, headers: { 'Retry-After': '3' } });
    await expect(rc.refresh()).rejects.toMatchObject({ name: 'NetworkError', timeout: true });
    // Past the penalty: a retry sent now would spend the single-use refresh token outside the lock.
    await sleep(3_300);
    expect(server.stats.byEndpoint[`POST ${TOKEN}`]! - before).toBe(1);
  });

  it('never a loop: a second 429 fails the refresh (OAuthError 429) after exactly one retry', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const before = server.stats.byEndpoint[`POST ${TOKEN}`]!;
    server.failNext({ path: TOKEN, status: 429, headers: { 'Retry-After': '0.2' }, times: 2 });
    await expect(rc.refresh()).rejects.toMatchObject({ name: 'OAuthError', status: 429 });
    expect(server.stats.byEndpoint[`POST ${TOKEN}`]! - before).toBe(2);
  });

  it('an Auth penalty longer than maxWaitMs: RateLimitError at once, the endpoint is not asked again', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 500 } });
    const before = server.stats.byEndpoint[`POST ${TOKEN}`]!;
    server.failNext({
      path: TOKEN,
      status: 429,
      headers: { 'Retry-After': '30', 'X-Rate-Limit-Group': 'Auth' },
    });
    await expect(rc.refresh()).rejects.toMatchObject({ name: 'RateLimitError', group: 'Auth' });
    const t = Date.now();
    await expect(rc.refresh()).rejects.toMatchObject({ name: 'RateLimitError', code: 'RC_RATE_LIMIT' });
    // Unsent, with no wait for the penalty (only the token manager's own short backoff after a failed refresh).
    expect(Date.now() - t).toBeLessThan(1_000);
    expect(server.stats.byEndpoint[`POST ${TOKEN}`]! - before).toBe(1);
  });

  it('the mock’s own Auth metering (5 a minute): logins past it wait or fail, never knock', async () => {
    const server = await mockServer({ rateLimits: { Auth: { limit: 2, windowSec: 60, penaltySec: 60 } } });
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 200 } }); // 1 of 2
    await rc.refresh(); // 2 of 2: Remaining 0 for the window
    await expect(rc.refresh()).rejects.toMatchObject({ name: 'RateLimitError', group: 'Auth' });
    expect(server.stats.rateLimited).toBe(0);
    expect(server.stats.byEndpoint[`POST ${TOKEN}`]).toBe(2);
  });
});
