import { type Plugin, rateLimit } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { fakeClock } from './fixtures.js';

// A reply's `X-Rate-Limit-Remaining` is what the server counted when it answered, which may be
// long before the client reads it (a busy event loop, a slow network). Replies that left the window
// meanwhile were dropped as if `remaining` already freed them: their budget was lost until the next
// reply, and with none on the wire a waiter waited a window more, past maxWaitMs (the CI failure of
// "a job at the limit" in rate-limit-waits.test.ts, under load).

const SERVER = 'https://platform.example.com';
const PATH = '/restapi/v1.0/account/~/extension/~/call-log';
const LIMIT = 10;
const WINDOW_MS = 1_000;

/** RingCentral's sliding window on the fake clock: the headers of a request it meets at `now()`. */
function slidingWindow(now: () => number) {
  const hits: number[] = [];
  return () => {
    while (hits.length > 0 && hits[0]! <= now() - WINDOW_MS) hits.shift();
    if (hits.length >= LIMIT) throw new Error('the server would answer 429');
    hits.push(now());
    return {
      'X-Rate-Limit-Group': 'Heavy',
      'X-Rate-Limit-Limit': String(LIMIT),
      'X-Rate-Limit-Remaining': String(LIMIT - hits.length),
      'X-Rate-Limit-Window': String(WINDOW_MS / 1000),
    };
  };
}

/**
 * Drives the plugin as ky would (beforeRequest, then the transport). `queued`: what happens between
 * the hooks and the wire; `readMs`: how long the reply takes to be read; `held`: the reply is read
 * once it resolves.
 */
function drive(plugin: Plugin, clock: ReturnType<typeof fakeClock>, meet: () => Record<string, string>) {
  const before = plugin.hooks?.beforeRequest?.[0];
  const wire = (readMs: number, held: Promise<void> | undefined) =>
    plugin.fetch!(async () => {
      const headers = meet();
      clock.advance(readMs);
      await held;
      return new Response('{}', { headers });
    });
  return async ({ queued = () => {}, readMs = 0, held = undefined as Promise<void> | undefined } = {}) => {
    const request = new Request(`${SERVER}${PATH}`);
    await before?.({ request, options: {}, retryCount: 0 } as never);
    queued();
    return wire(readMs, held)(request);
  };
}

describe('rate limits: a reply read late', () => {
  /**
   * The budget spent at t = 0 (one) and t = 500 (nine); returns at t = 1000, when the first has
   * left the window (one may go).
   */
  const spent = async () => {
    const clock = fakeClock(1_000_000);
    const plugin = rateLimit({ now: clock.now, maxWaitMs: 0 });
    const meet = slidingWindow(clock.now);
    const send = drive(plugin, clock, meet);
    await send();
    clock.advance(500);
    for (let i = 0; i < LIMIT - 1; i++) await send();
    clock.advance(500);
    return { clock, meet, send };
  };

  /** `n + 1` at once: n go, the last waits (with maxWaitMs 0: fails unsent), none draws a 429. */
  const goes = async (send: () => Promise<Response>, n: number) => {
    const results = await Promise.allSettled(Array.from({ length: n + 1 }, () => send()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(n);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))).toMatchObject([
      { name: 'RateLimitError', group: 'Heavy' },
    ]);
  };

  it('replies that left the window while it was on its way still free their budget', async () => {
    const { send } = await spent();
    // t = 1000: one goes, met by the server at once (0 left again), its reply read 600 ms later,
    // after the other nine left the window too.
    await send({ readMs: 600 });
    // t = 1600: the server has 9 left; the client must not wait (maxWaitMs 0) for a window more.
    await goes(send, LIMIT - 1);
  });

  it('…also when requests went out on their budget before it was read', async () => {
    const { clock, send } = await spent();
    // t = 1000: one goes, met at once (0 left); its reply is read only after what follows.
    let read = () => {};
    const late = send({ held: new Promise<void>((resolve) => (read = resolve)) });
    await Promise.resolve();
    clock.advance(600);
    // t = 1600: the nine have left the window; five go on their budget and are still on the wire
    // when the late reply is read ("0 left", as the server counted at t = 1000).
    const five = Array.from({ length: 5 }, () => {
      let answer = () => {};
      const sent = send({ held: new Promise<void>((resolve) => (answer = resolve)) });
      return { sent, answer };
    });
    await new Promise((r) => setTimeout(r, 0));
    read();
    await late;
    // The server has 4 left (the late one and the five count); the client must not wait a window more.
    await goes(send, 4);
    for (const { answer } of five) answer();
    await Promise.all(five.map((f) => f.sent));
  });

  it('replies that left the window before it went out are not freed twice (others spend the budget too)', async () => {
    const { clock, meet, send } = await spent();
    // t = 1000: one is let go but reaches the wire only at t = 1600; meanwhile the nine left the
    // window (t = 1500) and another client of the user spent 5 (t = 1550). Met at 1600: 4 left.
    await send({
      queued: () => {
        clock.advance(550);
        for (let i = 0; i < 5; i++) meet();
        clock.advance(50);
      },
    });
    await goes(send, 4);
  });
});
