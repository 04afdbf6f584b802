import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: MockServerOptions): Promise<MockServer> {
  mock = await startMockServer(options);
  return mock;
}

const me = (m: MockServer, token: string) =>
  fetch(`${m.url}/restapi/v1.0/account/~/extension/~`, { headers: { Authorization: `Bearer ${token}` } });

const login = (m: MockServer) =>
  fetch(`${m.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${m.clientId}:${m.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'password',
      username: m.user.username,
      password: m.user.password,
    }),
  });

describe('rate limits', () => {
  it('are not enforced by default: the group is named, but no budget is reported (a client pacing by it would wait for nothing)', async () => {
    const m = await start({ rateLimits: false });
    const token = m.issueToken().access_token;
    let last: Response | undefined;
    for (let i = 0; i < 55; i++) last = await me(m, token);
    expect(last?.status).toBe(200);
    expect(last?.headers.get('x-rate-limit-group')).toBe('Light');
    expect(last?.headers.get('x-rate-limit-remaining')).toBeNull();
    expect(m.stats.rateLimited).toBe(0);
  });

  it('answer 429 CMN-301 with Retry-After past the limit; each request in the penalty restarts it', async () => {
    const m = await start({ rateLimits: { Light: { limit: 2, windowSec: 10, penaltySec: 30 } } });
    const token = m.issueToken().access_token;
    expect((await me(m, token)).headers.get('x-rate-limit-remaining')).toBe('1');
    expect((await me(m, token)).status).toBe(200);
    const limited = await me(m, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-rate-limit-group')).toBe('Light');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(limited.headers.get('rcrequestid')).toBeTruthy();
    expect(await limited.json()).toMatchObject({
      errorCode: 'CMN-301',
      message: 'Request rate exceeded',
      errors: [{ errorCode: 'CMN-301' }],
    });

    m.advanceTime(29_000);
    expect((await me(m, token)).status).toBe(429); // knocking restarts the 30 s penalty
    m.advanceTime(29_000);
    expect((await me(m, token)).status).toBe(429);
    m.advanceTime(30_000);
    expect((await me(m, token)).status).toBe(200);
    expect(m.stats.rateLimited).toBe(3);
    expect(m.stats.byStatus['429']).toBe(3);
    // The first 429 started the penalty; the next two arrived during it.
    expect(m.stats.duringPenalty).toBe(2);
  });

  it('meter each route in its group (x-throttling-group): account and extension Light, SMS Medium, token Auth', async () => {
    const m = await start({ rateLimits: true });
    const token = m.issueToken().access_token;
    const get = (path: string) => fetch(`${m.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const groups = async (res: Response) => [
      res.headers.get('x-rate-limit-group'),
      res.headers.get('x-rate-limit-limit'),
      res.headers.get('x-rate-limit-window'),
    ];
    expect(await groups(await get('/restapi/v1.0/account/~'))).toEqual(['Light', '50', '60']);
    expect(await groups(await me(m, token))).toEqual(['Light', '50', '60']);
    const sms = await fetch(`${m.url}/restapi/v1.0/account/~/extension/~/sms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: { phoneNumber: '+1' }, to: [{ phoneNumber: '+2' }], text: 'x' }),
    });
    expect(await groups(sms)).toEqual(['Medium', '40', '60']);
    expect(await groups(await login(m))).toEqual(['Auth', '5', '60']);
    // Light's budget counts both Light routes: 2 spent, 48 left.
    expect((await me(m, token)).headers.get('x-rate-limit-remaining')).toBe('47');
  });

  it('count per user per group: another group or user is unaffected', async () => {
    const m = await start({
      rateLimits: { Light: { limit: 1 } },
      users: [
        { id: '1', username: '+15550001', password: 'p1', name: 'One' },
        { id: '2', username: '+15550002', password: 'p2', name: 'Two' },
      ],
    });
    const one = m.issueToken({ userId: '1' }).access_token;
    const two = m.issueToken({ userId: '2' }).access_token;
    expect((await me(m, one)).status).toBe(200);
    expect((await me(m, one)).status).toBe(429);
    expect((await me(m, two)).status).toBe(200);
    const sms = await fetch(`${m.url}/restapi/v1.0/account/~/extension/~/sms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${one}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: { phoneNumber: '+1' }, to: [{ phoneNumber: '+2' }], text: 'x' }),
    });
    expect(sms.status).toBe(200);
    expect(sms.headers.get('x-rate-limit-limit')).toBe('40');
  });

  it('limit the token endpoint in the Auth group per client (RingCentral defaults with true)', async () => {
    const m = await start({ rateLimits: true });
    for (let i = 0; i < 5; i++) {
      const res = await login(m);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rate-limit-group')).toBe('Auth');
      expect(res.headers.get('x-rate-limit-limit')).toBe('5');
    }
    const limited = await login(m);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(m.stats.duringPenalty).toBe(0); // the first 429 starts the penalty
    expect((await login(m)).status).toBe(429);
    expect(m.stats.duringPenalty).toBe(1);
    expect(m.stats.byGrant.password).toBe(7);
    // The public client has its own bucket.
    const other = await fetch(`${m.url}/restapi/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: m.user.username,
        password: m.user.password,
        client_id: m.publicClientId,
      }),
    });
    expect(other.status).toBe(200);
  });

  it('rejects bad rate-limit options', async () => {
    await expect(startMockServer({ rateLimits: { Huge: {} } as never })).rejects.toThrow(/rateLimits\.Huge/);
    await expect(startMockServer({ rateLimits: { Auth: { limit: 0 } } })).rejects.toThrow(
      /rateLimits\.Auth\.limit/,
    );
  });
});
