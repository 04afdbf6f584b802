import type { RateLimitInfo } from '@rc/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { client, EXT, loggedIn, mockServer, userGrant } from './fixtures.js';

// A listener of the client's events ('token', 'authError', 'rateLimited', and rateLimit()'s
// onRateLimited) that throws must not break the request that triggered the event, nor crash the
// process: rethrown in a microtask, its error was an uncaught exception, which ends a Node process.
// It is reported on the console instead, scrubbed (the listener's message may quote the token).

let uncaught: unknown[];
const onUncaught = (error: unknown) => void uncaught.push(error);
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  uncaught = [];
  process.on('uncaughtException', onUncaught);
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
  consoleError.mockRestore();
});

/** Lets queued microtasks and timers run, so anything rethrown would have surfaced. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const reported = () =>
  consoleError.mock.calls.map((args: unknown[]) => args.map(String).join(' ')).join('\n');

describe('a throwing event listener', () => {
  it("a 'token' listener that throws: the login succeeds, the other listeners run, nothing is uncaught; reported without the token", async () => {
    const server = await mockServer();
    const rc = client(server);
    const seen: string[] = [];
    rc.on('token', (token) => {
      throw new Error(`could not save ${token.accessToken} / ${token.refreshToken}`);
    });
    rc.on('token', (_token, key) => void seen.push(key));
    const token = await rc.authorize(userGrant(server));
    await settle();
    expect(uncaught).toEqual([]);
    expect(seen).toEqual(['default']);
    const text = reported();
    expect(text).toMatch(/'token' listener threw/);
    expect(text).toMatch(/could not save/);
    expect(text).not.toContain(token.accessToken);
    expect(text).not.toContain(token.refreshToken!);
    // The request after it goes on as usual.
    await expect(rc.get(EXT).json()).resolves.toBeTruthy();
  });

  it("an async 'token' listener that rejects (saving to a database, say) is reported, not an unhandled rejection", async () => {
    const server = await mockServer();
    const rc = client(server);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      rc.on('token', async (token) => {
        await settle();
        throw new Error(`database down, ${token.accessToken} not saved`);
      });
      const token = await rc.authorize(userGrant(server));
      await settle();
      await settle();
      expect(unhandled).toEqual([]);
      expect(reported()).toMatch(/'token' listener threw.*database down/s);
      expect(reported()).not.toContain(token.accessToken);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it("'rateLimited' listeners and rateLimit()'s onRateLimited that throw are reported too", async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, {
      rateLimit: {
        onRateLimited: (_info: RateLimitInfo) => {
          throw new Error('onRateLimited broke');
        },
      },
    });
    rc.on('rateLimited', () => {
      throw new Error('listener broke');
    });
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': '0.05', 'X-Rate-Limit-Group': 'Light' },
    });
    await expect(rc.get(EXT).json()).resolves.toBeTruthy();
    await settle();
    expect(uncaught).toEqual([]);
    expect(reported()).toMatch(/onRateLimited broke/);
    expect(reported()).toMatch(/'rateLimited' listener threw.*listener broke/s);
  });
});
