import { ConfigError, type Plugin, type RateLimitInfo, rateLimit } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, EXT, loggedIn, mockServer } from './fixtures.js';

// One wiring: the built-in limiter and an explicitly placed rateLimit() behave the same.

const limited = (server: Awaited<ReturnType<typeof mockServer>>) =>
  server.failNext({
    path: EXT,
    status: 429,
    headers: { 'Retry-After': '0.2', 'X-Rate-Limit-Group': 'Light' },
  });

describe('rate limits: wiring', () => {
  it('an explicitly placed rateLimit() drives the client’s rateLimited event, and its onRateLimited is called', async () => {
    const server = await mockServer();
    const own: RateLimitInfo[] = [];
    const rc = await loggedIn(server, { plugins: [rateLimit({ onRateLimited: (i) => own.push(i) })] });
    const events: RateLimitInfo[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    limited(server);
    await rc.get(EXT).json();
    expect(events).toMatchObject([{ group: 'Light', retryAfterMs: 200, method: 'GET' }]);
    expect(own).toEqual(events);
  });

  it('the built-in one calls the user’s onRateLimited as well as the event', async () => {
    const server = await mockServer();
    const own: RateLimitInfo[] = [];
    const rc = await loggedIn(server, { rateLimit: { onRateLimited: (i) => own.push(i) } });
    const events: RateLimitInfo[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    limited(server);
    await rc.get(EXT).json();
    expect(events).toHaveLength(1);
    expect(own).toEqual(events);
  });

  it('a plugin merely named "rateLimit" does not replace the built-in one', async () => {
    const server = await mockServer();
    const impostor: Plugin = { name: 'rateLimit', fetch: (next) => next };
    const rc = await loggedIn(server, { plugins: [impostor] });
    const events: RateLimitInfo[] = [];
    rc.on('rateLimited', (info) => events.push(info));
    limited(server);
    await rc.get(EXT).json();
    expect(events).toHaveLength(1);
  });

  it('refuses two rate limiters, or rateLimit options beside an explicit plugin', async () => {
    const server = await mockServer();
    expect(() => client(server, { plugins: [rateLimit(), rateLimit()] })).toThrow(ConfigError);
    expect(() => client(server, { plugins: [rateLimit()], rateLimit: { maxWaitMs: 1 } })).toThrow(
      /rateLimit/,
    );
    expect(() => client(server, { plugins: [rateLimit()], rateLimit: false })).toThrow(ConfigError);
  });
});
