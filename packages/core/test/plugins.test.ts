import { ConfigError, concurrency, type Plugin, RcError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, EXT, loggedIn, mockServer, userGrant } from './fixtures.js';

describe('plugins', () => {
  it('hooks run in plugin order, then the user hooks; fetch wrappers nest in plugin order', async () => {
    const server = await mockServer();
    const order: string[] = [];
    const plugin = (name: string): Plugin => ({
      name,
      hooks: {
        beforeRequest: [() => void order.push(`${name}:before`)],
        afterResponse: [() => void order.push(`${name}:after`)],
      },
      fetch: (next) => async (input, init) => {
        order.push(`${name}:fetch>`);
        const res = await next(input, init);
        order.push(`${name}:fetch<`);
        return res;
      },
    });
    const rc = await loggedIn(server, {
      plugins: [plugin('a'), plugin('b')],
      hooks: { beforeRequest: [() => void order.push('user:before')] },
    });
    order.length = 0;
    await rc.get(EXT);
    expect(order).toEqual([
      'a:before',
      'b:before',
      'user:before',
      'a:fetch>',
      'b:fetch>',
      'b:fetch<',
      'a:fetch<',
      'a:after',
      'b:after',
    ]);
  });

  it('fetch wrappers wrap API requests, not token requests (no deadlock behind a concurrency limit)', async () => {
    const server = await mockServer({ latencyMs: 20 });
    const urls: string[] = [];
    const rc = client(server, {
      grant: userGrant(server),
      plugins: [
        concurrency({ max: 1 }),
        {
          name: 'spy',
          fetch: (next) => (input, init) => {
            urls.push(new Request(input, init).url);
            return next(input, init);
          },
        },
      ],
    });
    await Promise.all(Array.from({ length: 5 }, () => rc.get(EXT)));
    expect(urls.filter((u) => u.includes('/oauth/'))).toEqual([]);
    expect(urls).toHaveLength(5);
  });

  it('the auth plugin never puts the token on ky’s own request objects', async () => {
    const server = await mockServer();
    const seen: (string | null)[] = [];
    const rc = await loggedIn(server, {
      hooks: {
        beforeRequest: [({ request: req }) => void seen.push(req.headers.get('authorization'))],
        afterResponse: [({ request: req }) => void seen.push(req.headers.get('authorization'))],
      },
    });
    await rc.get(EXT);
    expect(seen).toEqual([null, null]);
  });
});

describe('concurrency()', () => {
  it('checks its options', () => {
    expect(() => concurrency({ max: 0 })).toThrow(ConfigError);
    expect(() => concurrency({ max: 2, maxQueue: -1 })).toThrow(ConfigError);
    expect(() => concurrency(undefined as never)).toThrow(ConfigError);
  });

  it('caps requests in flight', async () => {
    const server = await mockServer({ latencyMs: 30 });
    let inFlight = 0;
    let peak = 0;
    const rc = await loggedIn(server, {
      plugins: [
        concurrency({ max: 3 }),
        {
          name: 'meter',
          fetch: (next) => async (input, init) => {
            peak = Math.max(peak, ++inFlight);
            try {
              return await next(input, init);
            } finally {
              inFlight--;
            }
          },
        },
      ],
    });
    await Promise.all(Array.from({ length: 12 }, () => rc.get(EXT)));
    expect(peak).toBe(3);
  });

  it('refuses with RC_QUEUE_FULL when the queue is full', async () => {
    const server = await mockServer({ latencyMs: 50 });
    const rc = await loggedIn(server, { plugins: [concurrency({ max: 1, maxQueue: 2 })], retry: 0 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => rc.get(EXT)));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]!.reason).toBeInstanceOf(RcError);
    expect(rejected[0]!.reason.code).toBe('RC_QUEUE_FULL');
  });

  it('releases the slot on every outcome: error, abort, timeout', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { plugins: [concurrency({ max: 1 })], retry: 0 });
    // network error
    server.failNext({ path: EXT, status: 200, destroy: true });
    await expect(rc.get(EXT)).rejects.toMatchObject({ code: 'RC_NETWORK' });
    // HTTP error
    server.failNext({ path: EXT, status: 500 });
    await expect(rc.get(EXT)).rejects.toMatchObject({ status: 500 });
    // abort while on the wire, and abort while queued
    server.setLatency(200);
    const c1 = new AbortController();
    const inflight = rc.get(EXT, { signal: c1.signal });
    const c2 = new AbortController();
    const queued = rc.get(EXT, { signal: c2.signal });
    setTimeout(() => {
      c2.abort();
      c1.abort();
    }, 20);
    await expect(inflight).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    // timeout
    await expect(rc.get(EXT, { timeout: 30 })).rejects.toMatchObject({
      name: 'NetworkError',
      code: 'RC_NETWORK',
      timeout: true,
    });
    server.setLatency(0);
    // the single slot is free again
    await expect(rc.get(EXT, { timeout: 2000 }).json()).resolves.toMatchObject({ name: 'Mock User' });
  });
});
