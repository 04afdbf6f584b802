// Issue 18 item 10: a 503 with `Retry-After: 3600` held one call for 120 s (two retries, each
// waiting maxRetryAfter), whatever `timeout` said. The waits between a call's retries after 5xx
// now total at most its `timeout` (or retry.maxRetryAfter when timeout is false): a Retry-After
// that does not fit fails the call at once with the 503's ApiError.
import { ApiError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, fakeClock, loggedIn, mockServer } from './fixtures.js';

const sent = (server: { stats: { byEndpoint: Record<string, number> } }) =>
  server.stats.byEndpoint[`GET ${EXT}`] ?? 0;

describe('retries after a 5xx are bounded by a total', () => {
  it('503 with Retry-After: 3600 (default timeout 10 s): fails at once, with the ApiError, not retried', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ path: EXT, status: 503, headers: { 'Retry-After': '3600' }, times: 3 });
    const t = performance.now();
    const error = await rc.get(EXT).catch((e: unknown) => e);
    expect(performance.now() - t).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503 });
    expect(sent(server)).toBe(1);
  }, 10_000);

  it('with timeout: false, retry.maxRetryAfter is the total', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { timeout: false, retry: { maxRetryAfter: 500 } });
    server.failNext({ path: EXT, status: 503, headers: { 'Retry-After': '3600' }, times: 3 });
    const t = performance.now();
    await expect(rc.get(EXT)).rejects.toMatchObject({ status: 503 });
    expect(performance.now() - t).toBeLessThan(2_000);
    expect(sent(server)).toBe(1); // not retried early after maxRetryAfter, as ky would
  }, 10_000);

  it('a Retry-After that fits is honoured', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ path: EXT, status: 503, headers: { 'Retry-After': '1' } });
    const t = performance.now();
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ id: 101 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(900);
    expect(sent(server)).toBe(2);
  });

  it('the waits add up: two 1 s waits do not fit in timeout 1.5 s, so the second retry is not made', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { timeout: 1_500 });
    server.failNext({ path: EXT, status: 503, headers: { 'Retry-After': '1' }, times: 3 });
    const t = performance.now();
    await expect(rc.get(EXT)).rejects.toMatchObject({ status: 503 });
    expect(sent(server)).toBe(2);
    expect(performance.now() - t).toBeLessThan(1_900);
  }, 10_000);

  it("reads an HTTP-date Retry-After against the client's clock (`now`), not the machine's", async () => {
    const server = await mockServer();
    const clock = fakeClock(Date.now() - 2 * 3_600_000); // the client lives two hours behind
    const rc = await loggedIn(server, { now: clock.now });
    // One hour after the client's now, an hour before the machine's: a wait of an hour, refused.
    const date = new Date(clock.now() + 3_600_000).toUTCString();
    server.failNext({ path: EXT, status: 503, headers: { 'Retry-After': date }, times: 3 });
    await expect(rc.get(EXT)).rejects.toMatchObject({ status: 503 });
    expect(sent(server)).toBe(1);
  }, 10_000);
});
