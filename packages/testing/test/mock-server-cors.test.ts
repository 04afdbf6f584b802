import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

// Browsers send these from a page on another origin; Node's fetch lets a test send them by hand.
const ORIGIN = 'http://127.0.0.1:5173';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

const preflight = (path: string, method: string, headers?: string) =>
  fetch(`${mock.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: ORIGIN,
      'Access-Control-Request-Method': method,
      ...(headers ? { 'Access-Control-Request-Headers': headers } : {}),
    },
  });

describe('CORS', () => {
  it('answers a preflight for a REST call with a bearer token', async () => {
    const res = await preflight('/restapi/v1.0/account/~/extension/~', 'GET', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
  });

  it('answers a preflight for the token endpoint before any canned failure', async () => {
    mock.failNext({ path: '/restapi/oauth/token', status: 503 });
    const res = await preflight('/restapi/oauth/token', 'POST', 'content-type');
    expect(res.status).toBe(204);
    // The canned failure is still there for the real request.
    const token = await fetch(`${mock.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { Origin: ORIGIN },
    });
    expect(token.status).toBe(503);
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lets a cross-origin page read API answers, error answers and the request id', async () => {
    const { access_token } = mock.issueToken();
    const ok = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~`, {
      headers: { Origin: ORIGIN, Authorization: `Bearer ${access_token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/RCRequestId.*X-Rate-Limit-Remaining/);

    const denied = await fetch(`${mock.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: 'nobody' }),
    });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('sends no CORS headers without an Origin, nor on the authorize page', async () => {
    const plain = await fetch(`${mock.url}/restapi/v1.0`);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const page = await fetch(`${mock.url}/restapi/oauth/authorize`, { headers: { Origin: ORIGIN } });
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const options = await preflight('/restapi/oauth/authorize', 'POST');
    expect(options.status).toBe(405);
  });

  it('refuses to echo a malformed header list', async () => {
    const res = await preflight('/restapi/v1.0', 'GET', 'authorization, bad header');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });
});
