import { ApiError, isRcError, NetworkError, OAuthError, RcError } from '@rc/core';
import { safeCause } from '@rc/core/kit';
import { describe, expect, it } from 'vitest';
import { client, EXT, loggedIn, mockServer, userGrant } from './fixtures.js';

describe('errors', () => {
  it('ApiError reads errorCode, message, errors[] and RCRequestId', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const err = await rc
      .post('/restapi/v1.0/account/~/extension/~/sms', {
        json: { from: { phoneNumber: '+16505550100' }, to: [], text: 'no recipient' },
      })
      .json()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const api = err as ApiError;
    expect(api.status).toBe(400);
    expect(api.code).toBe('RC_API');
    expect(api.errorCode).toBe('CMN-101');
    expect(api.message).toMatch(/CMN-101/);
    expect(api.errors[0]).toMatchObject({ errorCode: 'CMN-101' });
    expect(api.requestId).toMatch(/\w/);
    expect(api.method).toBe('POST');
    expect(isRcError(api)).toBe(true);
  });

  it('a 500 on GET is retried by ky, then surfaces as ApiError', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { retry: { limit: 2, delay: () => 0 } });
    server.failNext({ method: 'GET', path: EXT, status: 500, times: 2 });
    const me = await rc.get(EXT).json<{ name: string }>();
    expect(me.name).toBe('Mock User');
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(3);

    server.failNext({
      method: 'GET',
      path: EXT,
      status: 503,
      times: 3,
      body: { errorCode: 'CMN-211', message: 'Down' },
    });
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, errorCode: 'CMN-211' });
  });

  it('a 4xx is not retried; a POST 500 is not retried', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { retry: { limit: 2, delay: () => 0 } });
    server.resetStats();
    server.failNext({ path: EXT, status: 404 });
    await expect(rc.get(EXT)).rejects.toMatchObject({ status: 404 });
    server.failNext({ path: '/restapi/v1.0/account/~/extension/~/sms', status: 500 });
    await expect(rc.post('/restapi/v1.0/account/~/extension/~/sms', { json: {} })).rejects.toMatchObject({
      status: 500,
    });
    expect(server.stats.requests).toBe(2);
  });

  // Before: the errors plugin read Retry-After on its own (Number()): "-5" became retryAfter -5, an
  // HTTP date none, and a year's worth of seconds was believed. Now through the one reader of it.
  it('ApiError.retryAfter is the seconds Retry-After gives, read as the rate limiter reads it', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const SMS = '/restapi/v1.0/account/~/extension/~/sms';
    const retryAfterOf = async (value: string) => {
      server.failNext({ method: 'POST', path: SMS, status: 503, headers: { 'Retry-After': value } });
      const err = await rc
        .post(SMS, { json: { text: 'x' } })
        .json()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      return (err as ApiError).retryAfter;
    };
    expect(await retryAfterOf('2')).toBe(2);
    expect(await retryAfterOf('1.5')).toBe(1.5);
    expect(await retryAfterOf('-5')).toBeUndefined();
    expect(await retryAfterOf('soon')).toBeUndefined();
    expect(await retryAfterOf('31536000')).toBe(3600); // at most an hour is believed
    const date = await retryAfterOf(new Date(Date.now() + 20_000).toUTCString());
    expect(date).toBeGreaterThan(15);
    expect(date).toBeLessThanOrEqual(20);
  });

  it('a body that is not JSON still gives an ApiError with the status', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { retry: 0 });
    server.failNext({ path: EXT, status: 502, body: '<html>bad gateway</html>' });
    await expect(rc.get(EXT)).rejects.toMatchObject({ name: 'ApiError', status: 502 });
  });

  it('OAuthError reads error, error_description and errors[0].errorCode', async () => {
    const server = await mockServer();
    const rc = client(server);
    const err = await rc
      .authorize(userGrant({ ...server, user: { ...server.user, password: 'wrong-password-123' } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorCode: 'OAU-140',
      code: 'RC_OAUTH',
    });
    expect((err as OAuthError).errorDescription).toMatch(/credentials/i);
  });

  it('a token reply that is not JSON, or lacks access_token, is an OAuthError (never a TypeError)', async () => {
    const server = await mockServer();
    const rc = client(server);
    server.failNext({ path: '/restapi/oauth/token', status: 200, body: 'not json at all' });
    await expect(rc.authorize(userGrant(server))).rejects.toMatchObject({
      name: 'OAuthError',
      error: 'invalid_token_response',
    });
    server.failNext({
      path: '/restapi/oauth/token',
      status: 200,
      body: { token_type: 'bearer', expires_in: 3600 },
    });
    await expect(rc.authorize(userGrant(server))).rejects.toBeInstanceOf(OAuthError);
    server.failNext({
      path: '/restapi/oauth/token',
      status: 200,
      body: { access_token: 'x', expires_in: 'soon' },
    });
    await expect(rc.authorize(userGrant(server))).rejects.toBeInstanceOf(OAuthError);
    server.failNext({ path: '/restapi/oauth/token', status: 500, body: '<html>' });
    await expect(rc.authorize(userGrant(server))).rejects.toMatchObject({ name: 'OAuthError', status: 500 });
  });

  it('a network error on the token endpoint is a NetworkError; on an API call too', async () => {
    const server = await mockServer();
    const rc = client(server, { retry: 0 });
    server.failNext({ path: '/restapi/oauth/token', status: 200, destroy: true });
    const err = await rc.authorize(userGrant(server)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: 'RC_NETWORK', method: 'POST', timeout: false });
    expect((err as NetworkError).url).toBe(`${server.url}/restapi/oauth/token`);
    await rc.authorize(userGrant(server));
    server.failNext({ path: EXT, status: 200, destroy: true });
    await expect(rc.get(EXT)).rejects.toBeInstanceOf(NetworkError);
  });

  it('a network error on GET is retried by ky', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { retry: { limit: 1, delay: () => 0 } });
    server.failNext({ path: EXT, status: 200, destroy: true });
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('isRcError works across copies (brand, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@rc/core.RcError')]: true });
    expect(isRcError(foreign)).toBe(true);
    expect(isRcError(new Error('x'))).toBe(false);
    expect(isRcError(null)).toBe(false);
    expect(new RcError('RC_CONFIG', 'm').toJSON()).toMatchObject({
      name: 'RcError',
      code: 'RC_CONFIG',
      message: 'm',
    });
  });

  it('safeCause() keeps name and code, and no secret, credential, token-like run or parsed text', () => {
    const driver = Object.assign(
      new Error('AUTH failed for redis://app:hunter2-pass@127.0.0.1:6379 with pw-123456'),
      {
        name: 'ReplyError',
        code: 'WRONGPASS',
        command: { args: ['SET', 'k', 'secret-value'] },
      },
    );
    const cause = safeCause(driver, ['pw-123456']);
    expect(cause).toMatchObject({ name: 'ReplyError', code: 'WRONGPASS' });
    expect(cause.message).toBe('AUTH failed for redis://***@127.0.0.1:6379 with [redacted]');
    expect(JSON.stringify(cause)).not.toContain('secret-value');
    const token = 'U0pDMTFQMDFQQVMwMHxBQUJ3ZTR4M2FkZWZnaGlqa2xtbm9wcXJzdHV2d3h5';
    expect(safeCause(new Error(`bad token ${token}`)).message).toBe('bad token [redacted]');
    let parseError: unknown;
    try {
      JSON.parse(`{"accessToken":"${token}`);
    } catch (error) {
      parseError = error;
    }
    expect(safeCause(parseError)).toMatchObject({
      name: 'SyntaxError',
      message: 'the value could not be parsed',
    });
    expect(safeCause('plain')).toMatchObject({ name: 'NonError', message: 'plain' });
  });
});
