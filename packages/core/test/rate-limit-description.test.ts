import { describe, expect, it } from 'vitest';
import { describedGroup, parseTrie } from '../src/rate-limit/description.js';
import { routeOf } from '../src/rate-limit/routes.js';
import { RATE_LIMIT_TRIE } from '../src/rate-limit/table.js';

// The route → group table generated from RingCentral's API description, read as core's limiter
// reads it: through routeOf()'s form of a request URL. (The generator checks every documented
// operation reads back its own group; these pin what a request URL looks like.)
const trie = parseTrie(RATE_LIMIT_TRIE);
const group = (method: string, url: string) =>
  describedGroup(trie, routeOf(method, `https://platform.ringcentral.com${url}`));

describe('rate limits: the groups of RingCentral’s API description', () => {
  it('reads the groups of request URLs, with ~, real ids and query strings', () => {
    expect(group('GET', '/restapi/v1.0/account/~/extension/~')).toBe('Light');
    expect(group('GET', '/restapi/v1.0/account/~/extension/12345/presence?detailedTelephonyState=true')).toBe(
      'Light',
    );
    expect(group('GET', '/restapi/v1.0/account/~/presence')).toBe('Heavy');
    expect(group('GET', '/restapi/v1.0/account/~/extension/~/call-log')).toBe('Heavy');
    expect(group('POST', '/restapi/v1.0/account/~/extension/~/sms')).toBe('Medium');
    expect(group('POST', '/restapi/v1.0/account/~/extension/~/fax')).toBe('Heavy');
    expect(group('PUT', '/restapi/v1.0/account/~/extension/~/presence')).toBe('Medium');
    expect(group('POST', '/restapi/oauth/token')).toBe('Auth');
    expect(group('GET', '/team-messaging/v1/chats')).toBe('Medium');
  });

  it('NoThrottling is no group; a route outside the documented API has none known', () => {
    expect(group('GET', '/restapi/oauth/jwks')).toBeNull();
    expect(group('GET', '/restapi/v1.0')).toBeNull();
    expect(group('GET', '/my-proxy/thing')).toBeUndefined();
    expect(group('GET', '/')).toBeUndefined();
  });

  it('a literal segment wins over a parameter, as a router matches, and a dead end backtracks', () => {
    // The description has no such pair today; the generator would list the literal route if it had.
    const t = parseTrie('(a(b:gH(c:gN),*:gM(d:gA)),z)');
    const g = (route: string) => describedGroup(t, route);
    expect(g('GET /z')).toBe('Light'); // a documented first segment with nothing listed
    expect(g('GET /y')).toBeUndefined();
    expect(g('GET /a/b')).toBe('Heavy');
    expect(g('GET /a/{id}')).toBe('Medium');
    expect(g('GET /a/~')).toBe('Medium');
    expect(g('GET /a/b/c')).toBeNull();
    expect(g('GET /a/b/d')).toBe('Auth'); // `b` has no `d`: the parameter's branch has
    expect(g('GET /a/b/e')).toBe('Light'); // documented root, nothing listed: GET's default
    expect(g('POST /a/b/')).toBe('Medium');
  });
});
