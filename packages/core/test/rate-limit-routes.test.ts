import { type Plugin, RateLimitError, rateLimit } from '@rc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limiterOf } from '../src/rate-limit/plugin.js';
import { MAX_LEARNT_ROUTES, RouteTable, routeOf } from '../src/rate-limit/routes.js';

// The limiter learns each route's group from `X-Rate-Limit-Group`. Paths carry ids (extension,
// message, session ids): keyed as they are, the table of learnt routes grew with every id ever
// requested. Ids are keyed as one placeholder, and the table is bounded.

const SERVER = 'https://platform.example.com';

/** Drives the plugin as ky would (beforeRequest, then the transport), answering with `answer`. */
function drive(plugin: Plugin, answer: (request: Request) => Response) {
  const before = plugin.hooks?.beforeRequest?.[0];
  const wire = plugin.fetch!(async (input) => answer(input as Request));
  return async (path: string) => {
    const request = new Request(`${SERVER}${path}`);
    await before?.({ request, options: {}, retryCount: 0 } as never);
    return wire(request);
  };
}

const medium = () => new Response('{}', { headers: { 'X-Rate-Limit-Group': 'Medium' } });

describe('rate limits: the table of learnt routes', () => {
  it('10 000 distinct ids leave it bounded, and the group learnt applies to an id never seen', async () => {
    const now = () => 1_000_000;
    const plugin = rateLimit({ now, maxWaitMs: 0 });
    let answer = medium;
    const send = drive(plugin, () => answer());
    for (let i = 0; i < 10_000; i++) {
      await send(`/restapi/v1.0/account/~/extension/${100_000 + i}/presence`);
      await send(`/restapi/v1.0/account/~/extension/~/message-store/${4_000_000_000 + i}`);
      await send(`/restapi/v1.0/account/~/telephony/sessions/s-a0d17e${i.toString(16).padStart(8, '0')}`);
    }
    expect(limiterOf(plugin)!.learntRoutes).toBeLessThanOrEqual(3);

    // A 429 of the group, on one extension: the route of every extension is paused.
    answer = () =>
      new Response('{}', { status: 429, headers: { 'X-Rate-Limit-Group': 'Medium', 'Retry-After': '60' } });
    await send('/restapi/v1.0/account/~/extension/100000/presence');
    const error = await send('/restapi/v1.0/account/~/extension/424242/presence').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ group: 'Medium' });
  });

  it('routes with no id-like segment are bounded too (least recently answered first out)', async () => {
    const plugin = rateLimit({ maxWaitMs: 0 });
    const send = drive(plugin, medium);
    const word = (i: number) => i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!);
    for (let i = 0; i < 3 * MAX_LEARNT_ROUTES; i++) await send(`/restapi/v1.0/glip/persons/${word(i)}`);
    expect(limiterOf(plugin)!.learntRoutes).toBe(MAX_LEARNT_ROUTES);
  });

  it('normalises numeric segments, id lists and long opaque ids; keeps route words, versions and ~', () => {
    const key = (path: string, method = 'GET') => routeOf(method, `${SERVER}${path}?perPage=10#x`);
    expect(key('/restapi/v1.0/account/~/extension/12345/presence')).toBe(
      'GET /restapi/v1.0/account/~/extension/{id}/presence',
    );
    expect(key('/restapi/v1.0/account/37439510/extension/101,102,103/presence')).toBe(
      'GET /restapi/v1.0/account/{id}/extension/{id}/presence',
    );
    expect(key('/restapi/v1.0/subscription/4f2b2e38-6a4c-4a6b-9b11-1f0b6f1e2d3c', 'DELETE')).toBe(
      'DELETE /restapi/v1.0/subscription/{id}',
    );
    expect(key('/restapi/v1.0/account/~/a2p-sms/batches')).toBe(
      'GET /restapi/v1.0/account/~/a2p-sms/batches',
    );
    expect(key('/team-messaging/v1/chats/1234567/posts')).toBe('GET /team-messaging/v1/chats/{id}/posts');
    expect(key('/scim/v2/Users')).toBe('GET /scim/v2/Users');
    expect(routeOf('POST', `${SERVER}/restapi/oauth/token`)).toBe('POST /restapi/oauth/token');
    expect(routeOf('GET', SERVER)).toBe('GET /');
  });
});

describe('routeOf(), a char-code scan (it runs for every request)', () => {
  /** The rule as first written, with regular expressions: the scan must agree with it. */
  const reference = (method: string, url: string) => {
    const { pathname } = new URL(url);
    const isId = (s: string) => /^\d+$/.test(s) || s.includes(',') || (s.length >= 8 && /\d/.test(s));
    return `${method} ${pathname.replace(/[^/]+/g, (s) => (isId(s) ? '{id}' : s))}`;
  };
  const segment = fc.oneof(
    fc.constantFrom('restapi', 'v1.0', 'account', '~', 'extension', 'a2p-sms', 'message-store', ''),
    fc.stringMatching(/^[0-9]{1,12}$/),
    fc.stringMatching(/^[0-9a-z,-]{1,14}$/),
    fc.uuid(),
  );

  it('agrees with the regular-expression rule on generated paths, queries and fragments', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 8 }),
        fc.constantFrom('', '?perPage=10', '?a=1/2#x', '#frag'),
        (segments, tail) => {
          const url = `${SERVER}/${segments.join('/')}${tail}`;
          expect(routeOf('GET', url)).toBe(reference('GET', url));
        },
      ),
      { numRuns: 500, seed: 20261202 },
    );
  });
});

// The described groups load with the first request (a dynamic import, so a browser app fetches the
// table with its first request rather than with the app): until then a route has no described
// group, and that "not yet" must not be remembered as "none".
describe('RouteTable, while the description loads', () => {
  it('does not cache a route asked before the description is known', () => {
    let loaded = false;
    const heavy = { name: 'Heavy' } as never;
    const table = new RouteTable(() => (loaded ? heavy : null));
    expect(table.get('GET /restapi/v1.0/account/{id}/call-log')).toBeUndefined();
    loaded = true;
    expect(table.get('GET /restapi/v1.0/account/{id}/call-log')).toBe(heavy);
  });
});
