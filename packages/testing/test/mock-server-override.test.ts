import type {} from '@rc/api'; // types the override bodies (and nothing at run time)
import { describe, expect, it } from 'vitest';
import { withMock } from './with-mock.js';

// Scripted scenarios: one operation's behaviour replaced (a body typed by @rc/api, a status, a
// delay, a handler), the rest untouched, and reset() bringing the mock's own behaviour back.

const EXT = '/restapi/v1.0/account/~/extension/~';
const t = withMock();

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${t.mock.url}${path}`, {
    method,
    headers: { ...t.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('override', () => {
  it('answers a scripted body (typed by the operation) until reset()', async () => {
    t.mock.override('GET', EXT, { body: { id: 7, name: 'Ada Lovelace', extensionNumber: '107' } });
    const scripted = await call('GET', EXT);
    expect(scripted.status).toBe(200);
    expect(await scripted.json()).toEqual({ id: 7, name: 'Ada Lovelace', extensionNumber: '107' });
    // Other routes keep their behaviour.
    expect((await (await call('GET', '/restapi/v1.0/account/~')).json()).id).toBe(1);
    t.mock.reset();
    expect((await (await call('GET', EXT)).json()).name).toBe('Mock User');
  });

  it('answers a status and an error body, a number of times, after a delay', async () => {
    t.mock.override('POST', '/restapi/v1.0/account/~/extension/{extensionId}/sms', {
      status: 503,
      body: { errorCode: 'CMN-211', message: 'Service Temporary Unavailable', errors: [] },
      delay: 150,
      times: 1,
    });
    const sms = {
      from: { phoneNumber: t.mock.user.username },
      to: [{ phoneNumber: '+16505550199' }],
      text: 'hi',
    };
    const started = performance.now();
    const failed = await call('POST', '/restapi/v1.0/account/~/extension/101/sms', sms);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(failed.status).toBe(503);
    expect((await failed.json()).errorCode).toBe('CMN-211');
    expect((await call('POST', '/restapi/v1.0/account/~/extension/101/sms', sms)).status).toBe(200);
  });

  it('runs a handler with the path parameters and the body; undefined lets the request through', async () => {
    const seen: string[] = [];
    t.mock.override('PUT', '/restapi/v1.0/account/{accountId}/extension/{extensionId}', {
      handler: (req) => {
        seen.push(`${req.params.extensionId}:${(req.json() as { status?: string }).status}`);
        return req.params.extensionId === '~'
          ? { body: { id: 101, status: 'Disabled' as const } }
          : undefined;
      },
    });
    expect(await (await call('PUT', EXT, { status: 'Disabled' })).json()).toEqual({
      id: 101,
      status: 'Disabled',
    });
    const through = await call('PUT', '/restapi/v1.0/account/~/extension/102', { status: 'Enabled' });
    expect(through.status).toBe(200); // the synthesised reply of updateExtension
    expect(seen).toEqual(['~:Disabled', '102:Enabled']);
  });

  it('defaults the status to the operation’s described success status (204 for a delete)', async () => {
    t.mock.override('DELETE', '/restapi/v1.0/subscription/{subscriptionId}', {});
    const res = await call('DELETE', '/restapi/v1.0/subscription/abc');
    expect(res.status).toBe(204);
  });

  it('is typed by @rc/api: a body of the wrong shape does not compile', () => {
    // @ts-expect-error `name` of the extension reply is a string
    t.mock.override('GET', EXT, { body: { name: 42 } });
    t.mock.reset();
  });
});
