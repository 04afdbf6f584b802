import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

const basic = () => `Basic ${Buffer.from(`${mock.clientId}:${mock.clientSecret}`).toString('base64')}`;
const token = (form: Record<string, string>) =>
  fetch(`${mock.url}/restapi/oauth/token?ignored=1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic() },
    body: new URLSearchParams(form),
  });

describe('startMockServer', () => {
  it('listens on 127.0.0.1 and exposes the defaults', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock).toMatchObject({
      clientId: 'mock-client-id',
      clientSecret: 'mock-client-secret',
      publicClientId: 'mock-public-client',
    });
    expect(mock.user).toMatchObject({ id: '101', username: '+16505550100', password: 'mock-password' });
  });

  it('validates options, naming the option', async () => {
    const bad: [object, RegExp][] = [
      [{ port: -1 }, /"port"/],
      [{ clients: [] }, /"clients"/],
      [{ clients: [{ clientId: 'a' }, { clientId: 'a' }] }, /clients\[1\]\.clientId/],
      [{ clients: [{ clientId: 'a', redirectUris: ['nope'] }] }, /redirectUris\[0\]/],
      [{ users: [{ id: '1', username: 'u', name: 'n' }] }, /users\[0\]\.password/],
      [{ accessTokenTtl: 0 }, /accessTokenTtl/],
      [{ ttlBounds: { accessMin: 10, accessMax: 5, refreshMax: 1 } }, /ttlBounds/],
      [{ latencyMs: { min: 5, max: 1 } }, /latencyMs/],
      [{ now: 5 }, /"now"/],
      [{ rateLimits: 'yes' }, /rateLimits/],
      [{ rateLimit: true }, /unknown option "rateLimit"/],
      [{ access_token_ttl: 600 }, /unknown option "access_token_ttl". Did you mean "accessTokenTtl"\?/],
    ];
    for (const [options, message] of bad)
      await expect(startMockServer(options as never)).rejects.toThrow(message);
  });

  it("reports '' for a missing public or confidential client", async () => {
    const only = await startMockServer({ clients: [{ clientId: 'pub' }] });
    expect(only).toMatchObject({ clientId: '', clientSecret: '', publicClientId: 'pub' });
    await only.close();
  });

  it('close() does not wait for keep-alive connections', async () => {
    const m = await startMockServer();
    const { port } = new URL(m.url);
    const agentRequest = () =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/restapi/v1.0', headers: { Connection: 'keep-alive' } },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end();
      });
    await agentRequest();
    await fetch(`${m.url}/restapi/v1.0`); // fetch keeps its socket alive too
    const started = Date.now();
    await m.close();
    await m.close(); // idempotent
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('latency', () => {
  it('delays each answer within the configured range', async () => {
    mock.setLatency({ min: 60, max: 80 });
    const started = performance.now();
    await fetch(`${mock.url}/restapi/v1.0`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    mock.setLatency(0);
    expect(() => mock.setLatency(-1)).toThrow(/setLatency/);
  });

  it('accepts a latency option at start', async () => {
    const slow = await startMockServer({ latencyMs: 50 });
    const started = performance.now();
    await fetch(`${slow.url}/restapi/v1.0`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await slow.close();
  });
});

describe('failNext', () => {
  it('answers the next matching request with the canned status, body and headers, then resumes', async () => {
    mock.failNext({
      method: 'post',
      path: '/restapi/oauth/token',
      status: 503,
      body: { oops: true },
      headers: { 'Retry-After': '2' },
      times: 2,
    });
    const form = { grant_type: 'password', username: mock.user.username, password: mock.user.password };
    for (let i = 0; i < 2; i++) {
      const res = await token(form);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.headers.get('rcrequestid')).toBeTruthy();
      expect(await res.json()).toEqual({ oops: true });
    }
    expect((await token(form)).status).toBe(200);
  });

  it('matches method and path, sends strings as given and a RingCentral body by default', async () => {
    mock.failNext({ method: 'POST', path: '/restapi/v1.0', status: 500 });
    expect((await fetch(`${mock.url}/restapi/v1.0`)).status).toBe(200); // GET does not match
    mock.failNext({ path: '/restapi/v1.0', status: 500 });
    const res = await fetch(`${mock.url}/restapi/v1.0?x=1`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      errorCode: expect.any(String),
      message: expect.any(String),
      errors: expect.any(Array),
    });
    mock.failNext({ path: 'restapi/v1.0', status: 502, body: 'Bad Gateway' });
    const text = await fetch(`${mock.url}/restapi/v1.0`);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe('Bad Gateway');
  });

  it('destroy: true resets the connection (a network error)', async () => {
    mock.failNext({ path: '/restapi/v1.0', status: 0, destroy: true });
    await expect(fetch(`${mock.url}/restapi/v1.0`)).rejects.toThrow();
    expect((await fetch(`${mock.url}/restapi/v1.0`)).status).toBe(200);
  });

  it('rejects a malformed rule', () => {
    expect(() => mock.failNext({ path: '', status: 500 })).toThrow(/path/);
    expect(() => mock.failNext({ path: '/x', status: 42 })).toThrow(/status/);
    expect(() => mock.failNext({ path: '/x', status: 500, times: 0 })).toThrow(/times/);
  });
});

describe('stats', () => {
  it('counts requests, endpoints (without query), grants whatever the outcome, statuses; resets in place', async () => {
    const stats = mock.stats;
    mock.resetStats();
    expect(stats).toEqual({
      requests: 0,
      byEndpoint: {},
      byGrant: {},
      byStatus: {},
      rateLimited: 0,
      duringPenalty: 0,
      revokes: 0,
      webSocket: expect.objectContaining({
        connections: 0,
        notifications: 0,
        recoveries: { successful: 0, failed: 0 },
      }),
    });
    await token({ grant_type: 'password', username: mock.user.username, password: mock.user.password });
    await token({ grant_type: 'password', username: mock.user.username, password: 'wrong' });
    await token({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    mock.failNext({ path: '/restapi/oauth/token', status: 429 });
    await token({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~`);
    await fetch(`${mock.url}/restapi/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic() },
      body: 'token=whatever',
    });
    expect(mock.stats).toBe(stats);
    expect(stats).toEqual({
      requests: 6,
      byEndpoint: {
        'POST /restapi/oauth/token': 4,
        'GET /restapi/v1.0/account/~/extension/~': 1,
        'POST /restapi/oauth/revoke': 1,
      },
      byGrant: { password: 2, refresh_token: 2 },
      byStatus: { '200': 2, '400': 2, '401': 1, '429': 1 },
      rateLimited: 1,
      duringPenalty: 0,
      revokes: 1,
      webSocket: expect.objectContaining({ tokens: 0, connections: 0 }),
    });
    mock.resetStats();
    expect(stats.requests).toBe(0);
    expect(stats.byEndpoint).toEqual({});
  });
});
