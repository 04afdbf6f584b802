import { ApiError, ConfigError, isRcError, NetworkError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, loggedIn, mockServer } from './fixtures.js';

// A 2xx reply whose body is not the JSON it claims: `.json()` rejects with a typed ApiError (the
// status, the request id, the redacted URL), never a bare SyntaxError, whose message quotes the
// body it failed on (a token in a broken token-shaped reply, say).

const SECRET = 'SECRET-in-the-body-0123456789abcdef';
const BROKEN = `{"access_token":"${SECRET}", "records": [`;

const jsonReply = (body: string) => ({
  method: 'GET',
  path: EXT,
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body,
});

function expectMalformed(error: unknown, status = 200): ApiError {
  expect(error).toBeInstanceOf(ApiError);
  const e = error as ApiError;
  expect(isRcError(e)).toBe(true);
  expect(e).toMatchObject({ code: 'RC_API', status, method: 'GET', requestId: expect.any(String) });
  expect(e.message).toMatch(/not valid JSON/);
  const shown = `${e.message} ${e.stack} ${JSON.stringify(e)} ${String(e.cause)}`;
  expect(shown).not.toContain(SECRET);
  expect(shown).not.toContain('records');
  return e;
}

describe('a malformed JSON body', () => {
  it('rc.get().json() rejects with an ApiError holding the status, not a SyntaxError', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext(jsonReply(BROKEN));
    const error = await rc
      .get(EXT)
      .json()
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expectMalformed(error);
  });

  it('so does response.json() on the awaited response, and an empty body', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext(jsonReply(BROKEN));
    const response = await rc.get(EXT);
    expectMalformed(await response.json().catch((e: unknown) => e));
    server.failNext(jsonReply(''));
    expect(
      expectMalformed(
        await rc
          .get(EXT)
          .json()
          .catch((e: unknown) => e),
      ).message,
    ).toMatch(/empty/);
  });

  it('a 204 (No Content) has no body to be malformed: .json() resolves to undefined', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ method: 'GET', path: EXT, status: 204, body: '' });
    await expect(rc.get(EXT).json()).resolves.toBeUndefined();
  });

  it("a user's parseJson is still used, and its SyntaxError becomes the same ApiError", async () => {
    const server = await mockServer();
    const seen: string[] = [];
    const rc = await loggedIn(server, {
      parseJson: (text) => {
        seen.push(text);
        return JSON.parse(text);
      },
    });
    expect(await rc.get(EXT).json()).toMatchObject({ id: expect.anything() });
    expect(seen).toHaveLength(1);
    server.failNext(jsonReply(BROKEN));
    expectMalformed(
      await rc
        .get(EXT)
        .json()
        .catch((e: unknown) => e),
    );
  });

  it('batchGet of one id: the same ApiError', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ ...jsonReply(BROKEN), path: '/restapi/v1.0/account/~/extension/101/presence' });
    const error = await rc
      .batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', ['101'])
      .catch((e: unknown) => e);
    expectMalformed(error);
  });
});

describe('batchGet reading its reply', () => {
  const PRESENCE = '/restapi/v1.0/account/~/extension/{ids}/presence';

  /** A fetch whose batch reply breaks off after its first bytes, as a dropped connection does. */
  const breakingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.includes('/extension/101,102/presence')) return fetch(request);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('--b\r\nContent-Type: application/json\r\n\r\n{"resp'));
        controller.error(Object.assign(new TypeError('terminated'), { cause: { code: 'ECONNRESET' } }));
      },
    });
    return new Response(body, {
      status: 207,
      headers: { 'Content-Type': 'multipart/mixed; boundary=b', RCRequestId: 'req-7' },
    });
  };

  it('a connection lost while reading is a NetworkError, not a "malformed" reply', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { fetch: breakingFetch });
    const error = await rc.batchGet(PRESENCE, ['101', '102']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('RC_NETWORK');
    expect((error as NetworkError).message).not.toMatch(/malformed|not JSON/);
  });

  it('maxResponseBytes must be a whole number of bytes > 0, refused at the call', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.resetStats();
    for (const maxResponseBytes of [0, -1, 1.5, '100', Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await rc
        .batchGet(PRESENCE, ['101', '102'], { maxResponseBytes } as never)
        .catch((e: unknown) => e);
      expect(error, String(maxResponseBytes)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('maxResponseBytes');
    }
    expect(server.stats.requests).toBe(0);
  });
});
