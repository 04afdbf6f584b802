import { describe, expect, it } from 'vitest';
import { EXT, fakeClock, loggedIn, mockServer } from './fixtures.js';

// The refresh storm: many requests find their token dead at once. Exactly one refresh may reach
// the token endpoint (refresh tokens are single-use: a second would fail), and no request may fail.
describe('refresh storm', () => {
  it('500 concurrent GETs on a token the server just invalidated, 0–150 ms jitter → 1 refresh, 0 failures', async () => {
    const server = await mockServer({ latencyMs: { min: 0, max: 150 } });
    const rc = await loggedIn(server, { timeout: 30_000 });
    server.invalidateAccessTokens();
    server.resetStats();
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, () => rc.get(EXT).json<{ name: string }>()),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    expect(server.stats.byEndpoint['POST /restapi/oauth/token']).toBe(1);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
  });

  it('500 concurrent GETs on a token that expired by time → 1 refresh, 0 failures', async () => {
    const clock = fakeClock();
    const server = await mockServer({ latencyMs: { min: 0, max: 150 }, now: clock.now });
    const rc = await loggedIn(server, { timeout: 30_000, now: clock.now });
    clock.advance(3600_000 + 1);
    server.resetStats();
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, () => rc.get(EXT).json<{ name: string }>()),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.byEndpoint['POST /restapi/oauth/token']).toBe(1);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
    // None of the 500 went out with the expired token: the refresh came first.
    expect(server.stats.byStatus['401'] ?? 0).toBe(0);
  });

  it('expired on the server clock only (client clock behind) → the 401s converge on 1 refresh', async () => {
    const server = await mockServer({ latencyMs: { min: 0, max: 150 } });
    const rc = await loggedIn(server, { timeout: 30_000 });
    server.advanceTime(3600_000 + 1);
    server.resetStats();
    const results = await Promise.allSettled(Array.from({ length: 500 }, () => rc.get(EXT)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
  });
});
