import { ConfigError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, EXT, loggedIn, mockServer } from './fixtures.js';

describe('HTTP verbs with ky semantics', () => {
  it('GET with or without a leading slash, with a full URL on the server, .json() and .text()', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const a = await rc.get(EXT).json<{ name: string }>();
    const b = await rc.get(EXT.slice(1)).json<{ name: string }>();
    const c = await rc.get(`${server.url}${EXT}`).json<{ name: string }>();
    expect([a.name, b.name, c.name]).toEqual(['Mock User', 'Mock User', 'Mock User']);
    expect(await rc.get('restapi/v1.0/account/~').text()).toMatch(/"id"/);
    const res = await rc.get(EXT);
    expect(res.status).toBe(200);
    expect(res.headers.get('rcrequestid')).toBeTruthy();
  });

  it('POST with a JSON body', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const msg = await rc
      .post('/restapi/v1.0/account/~/extension/~/sms', {
        json: { from: { phoneNumber: '+16505550100' }, to: [{ phoneNumber: '+16505550101' }], text: 'hello' },
      })
      .json<{ type: string; subject: string }>();
    expect(msg).toMatchObject({ type: 'SMS', subject: 'hello' });
  });

  it('refuses a URL on another host, so the token never leaves for it', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    expect(() => rc.get('https://evil.example.com/restapi/v1.0')).toThrow(ConfigError);
    expect(() => rc.get(new URL('https://evil.example.com/x'))).toThrow(ConfigError);
  });

  it('passes ky options through: headers, hooks, fetch, timeout, searchParams', async () => {
    const server = await mockServer();
    const seen: string[] = [];
    const fetchCalls: string[] = [];
    const rc = await loggedIn(server, {
      headers: { 'x-app': 'demo' },
      hooks: { beforeRequest: [({ request: req }) => void seen.push(`${req.headers.get('x-app')}`)] },
      fetch: (input, init) => {
        fetchCalls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await rc.get(EXT, { searchParams: { a: '1' } });
    expect(seen).toEqual(['demo']);
    // The token request and the API request both used the given fetch.
    expect(fetchCalls.some((u) => u.endsWith('/restapi/oauth/token'))).toBe(true);
    expect(fetchCalls.some((u) => u.endsWith(`${EXT}?a=1`))).toBe(true);

    server.setLatency(300);
    const slow = client(server, { timeout: 50, retry: 0 });
    await slow.setToken(server.issueToken());
    await expect(slow.get(EXT)).rejects.toMatchObject({
      name: 'NetworkError',
      code: 'RC_NETWORK',
      timeout: true,
    });
  });

  it('http is the composed ky instance of the session', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const me = await rc.http.get(EXT.slice(1)).json<{ name: string }>();
    expect(me.name).toBe('Mock User');
  });
});
