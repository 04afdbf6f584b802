import { ConfigError, isRcError, RateLimitError, rateLimit } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, loggedIn, mockServer, wireSpy } from './fixtures.js';

const ACCOUNT = '/restapi/v1.0/account/~';
const SMS = '/restapi/v1.0/account/~/extension/~/sms';

describe('rate limits', () => {
  it('checks rateLimit() options', () => {
    expect(() => rateLimit({ maxWaitMs: -1 })).toThrow(ConfigError);
  });

  it('a 429 pauses the whole group: later requests of that group wait out the penalty instead of restarting it', async () => {
    const server = await mockServer({ rateLimits: { Light: { limit: 4, windowSec: 1, penaltySec: 1 } } });
    const spy = wireSpy();
    const rc = await loggedIn(server, { plugins: [spy.plugin] });
    const events: unknown[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => rc.get(EXT).json()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.rateLimited).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ group: 'Light', retryAfterMs: 1000, method: 'GET' });
    // Only the 8 requests already on the wire when the budget ran out got 429s: none was sent
    // during the penalty, and after it the budget was spent one reply at a time (no second herd).
    expect(server.stats.rateLimited).toBe(12 - 4);
  });

  it('requests of another route in the same group wait too', async () => {
    const server = await mockServer();
    const spy = wireSpy();
    const rc = await loggedIn(server, { plugins: [spy.plugin] });
    await rc.get(EXT);
    await rc.get(ACCOUNT); // both learnt as Light
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': '1', 'X-Rate-Limit-Group': 'Light' },
    });
    const t0 = Date.now();
    const a = rc.get(EXT).json();
    await new Promise((r) => setTimeout(r, 50));
    const b = rc.get(ACCOUNT).json();
    await Promise.all([a, b]);
    const accountSends = spy.sent.filter((s) => s.path === ACCOUNT);
    expect(accountSends.at(-1)!.at - t0).toBeGreaterThanOrEqual(950);
  });

  it('waiting out a penalty does not count against ky’s per-attempt timeout', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { timeout: 300 });
    server.failNext({ path: EXT, status: 429, headers: { 'Retry-After': '1' } });
    const t0 = Date.now();
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('a GET without Retry-After is retried after the assumed penalty; a POST is not re-sent (ky retries idempotent methods only)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { defaultRetryAfterMs: 400 } });
    server.failNext({ path: EXT, status: 429, headers: { 'X-Rate-Limit-Group': 'Light' } });
    const t0 = Date.now();
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380); // waited out the assumed penalty, not ky's 300 ms
    server.failNext({ path: SMS, status: 429, headers: { 'Retry-After': '1' } });
    const err = await rc
      .post(SMS, {
        json: { from: { phoneNumber: '+16505550100' }, to: [{ phoneNumber: '+16505550101' }], text: 'x' },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ApiError', status: 429, retryAfter: 1 });
    expect(server.stats.byEndpoint[`POST ${SMS}`]).toBe(1);
  });

  it('a penalty longer than maxWaitMs surfaces as RateLimitError (isRcError, RC_RATE_LIMIT) with retryAfterMs', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: { maxWaitMs: 500 } });
    server.failNext({ path: EXT, status: 429, headers: { 'Retry-After': '120' } });
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(isRcError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'RC_RATE_LIMIT', group: 'Light' }); // the description's group: no header named one
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThan(119_000);
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(1); // not retried by ky either
  });

  it('rateLimit: false turns the built-in handling off (ky retries the 429 itself, honouring Retry-After)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { rateLimit: false, retry: { limit: 1 } });
    server.failNext({ path: EXT, status: 429, headers: { 'Retry-After': '0.05' } });
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(2);
  });
});
