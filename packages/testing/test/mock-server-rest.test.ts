import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

let mock: MockServer;
let auth: { Authorization: string };
beforeAll(async () => {
  mock = await startMockServer({ now: () => Date.parse('2025-01-02T03:04:05.000Z') });
  auth = { Authorization: `Bearer ${mock.issueToken().access_token}` };
});
afterAll(() => mock.close());

const get = (path: string, headers: Record<string, string> = auth) =>
  fetch(`${mock.url}${path}`, { headers });
const sms = (body: unknown) =>
  fetch(`${mock.url}/restapi/v1.0/account/~/extension/~/sms`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('REST resources', () => {
  it('GET extension/~ returns the user record with a request id and Light rate-limit headers', async () => {
    const res = await get('/restapi/v1.0/account/~/extension/~');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('rcrequestid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(res.headers.get('x-rate-limit-group')).toBe('Light');
    expect(res.headers.get('x-rate-limit-limit')).toBe('50');
    expect(res.headers.get('x-rate-limit-window')).toBe('60');
    expect(res.headers.get('x-rate-limit-remaining')).toBeNull(); // not metered unless enforced
    expect(await res.json()).toMatchObject({
      uri: `${mock.url}/restapi/v1.0/account/1/extension/101`,
      id: 101,
      extensionNumber: '101',
      name: 'Mock User',
      type: 'User',
      status: 'Enabled',
      contact: { email: 'mock.user@example.com' },
      account: { id: '1' },
    });
  });

  it('accepts explicit own ids and 404s on foreign ones', async () => {
    expect((await get('/restapi/v1.0/account/1/extension/101')).status).toBe(200);
    const foreign = await get('/restapi/v1.0/account/~/extension/999');
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).errors[0]).toMatchObject({
      errorCode: 'CMN-102',
      parameterName: 'extensionId',
    });
  });

  it('GET account/~ returns the account record', async () => {
    const res = await get('/restapi/v1.0/account/~');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 1, mainNumber: mock.user.username, status: 'Confirmed' });
  });

  it('GET /restapi/v1.0 needs no token', async () => {
    const res = await get('/restapi/v1.0', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ uriString: 'v1.0', versionString: expect.any(String) });
  });

  it('POST sms returns a message record (Medium group, server clock)', async () => {
    const res = await sms({
      from: { phoneNumber: '+16505550100' },
      to: [{ phoneNumber: '+16505550199' }],
      text: 'Hello',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rate-limit-group')).toBe('Medium');
    const message = await res.json();
    expect(message).toMatchObject({
      id: expect.any(Number),
      direction: 'Outbound',
      type: 'SMS',
      subject: 'Hello',
      to: [{ phoneNumber: '+16505550199' }],
      from: { phoneNumber: '+16505550100' },
      creationTime: '2025-01-02T03:04:05.000Z',
    });
  });

  it('refuses an invalid sms body with CMN-101 naming the parameter', async () => {
    const res = await sms({ from: { phoneNumber: '+16505550100' }, to: [], text: 'Hi' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errorCode: 'CMN-101',
      message: 'Parameter [to] value is invalid',
      errors: [{ errorCode: 'CMN-101', message: 'Parameter [to] value is invalid', parameterName: 'to' }],
    });
    const noText = await sms({ from: { phoneNumber: '+1' }, to: [{ phoneNumber: '+2' }] });
    expect((await noText.json()).errors[0].parameterName).toBe('text');
    expect((await sms('{not json')).status).toBe(400);
  });
});

describe('REST errors', () => {
  it('401 without a token, with an unknown token', async () => {
    const missing = await get('/restapi/v1.0/account/~/extension/~', {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('rcrequestid')).toBeTruthy();
    expect((await missing.json()).errorCode).toBe('TokenInvalid');
    const unknown = await get('/restapi/v1.0/account/~/extension/~', {
      Authorization: 'Bearer not-a-real-token-123',
    });
    expect(unknown.status).toBe(401);
    const text = await unknown.text();
    expect(JSON.parse(text)).toEqual({
      errorCode: 'TokenInvalid',
      message: 'Token not found',
      errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
    });
    expect(text).not.toContain('not-a-real-token-123');
  });

  it('404 with a REST body for unknown paths, 405 for a wrong method', async () => {
    for (const path of ['/restapi/v1.0/nothing-here', '/elsewhere']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('rcrequestid')).toBeTruthy();
      expect(await res.json()).toMatchObject({ errorCode: 'CMN-404', errors: [{ errorCode: 'CMN-404' }] });
    }
    // PATCH: neither a hand-written route nor the description has it (DELETE is described).
    const wrong = await fetch(`${mock.url}/restapi/v1.0/account/~/extension/~`, {
      method: 'PATCH',
      headers: auth,
    });
    expect(wrong.status).toBe(405);
    expect((await fetch(`${mock.url}/restapi/oauth/token`)).status).toBe(405);
  });
});
