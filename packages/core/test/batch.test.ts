import { ApiError, ConfigError, isRcError, type RcClient } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const PRESENCE = '/restapi/v1.0/account/~/extension/{ids}/presence';
const presencePath = (ids: string) => `/restapi/v1.0/account/~/extension/${ids}/presence`;

interface Presence {
  extension: { id: number };
  presenceStatus: string;
}

/** Every string an attacker could want from a result, for the "no secret" check. */
async function secretsOf(rc: RcClient, server: { clientSecret: string; user: { password: string } }) {
  const token = await rc.getToken();
  return [token?.accessToken, token?.refreshToken, server.clientSecret, server.user.password].filter(
    (s): s is string => typeof s === 'string',
  );
}

describe('batchGet', () => {
  it('5 ids with one unknown: 5 results in order, the unknown one an ApiError 404; no secret in any', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.resetStats();
    const ids = ['101', '102', '999', '104', '105'];
    const results = await rc.batchGet<Presence>(PRESENCE, ids);
    expect(server.stats.requests).toBe(1);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['101', 200],
      ['102', 200],
      ['999', 404],
      ['104', 200],
      ['105', 200],
    ]);
    expect(results[0]?.body?.extension.id).toBe(101);
    const failed = results[2]!;
    expect(failed.error).toBeInstanceOf(ApiError);
    expect(failed.error).toMatchObject({ status: 404, errorCode: 'CMN-102', code: 'RC_API' });
    expect(isRcError(failed.error)).toBe(true);
    const text = JSON.stringify(results) + results.map((r) => `${r.error?.message} ${r.error?.stack}`).join();
    for (const secret of await secretsOf(rc, server)) expect(text).not.toContain(secret);
  });

  it('65 ids: 3 requests (30 + 30 + 5), results in order', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.resetStats();
    const ids = Array.from({ length: 65 }, (_, i) => 101 + i);
    const results = await rc.batchGet<Presence>(PRESENCE, ids);
    expect(results.map((r) => r.id)).toEqual(ids.map(String));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body?.extension.id)).toEqual(ids);
    const sent = Object.entries(server.stats.byEndpoint).map(([k, v]) => [k.split('/extension/')[1], v]);
    expect(sent).toEqual([
      [`${ids.slice(0, 30).join(',')}/presence`, 1],
      [`${ids.slice(30, 60).join(',')}/presence`, 1],
      [`${ids.slice(60).join(',')}/presence`, 1],
    ]);
  });

  it('1 id: the plain JSON reply; an unknown single id is its own 404 result', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const [one] = await rc.batchGet<Presence>(PRESENCE, ['103']);
    expect(one).toMatchObject({ id: '103', status: 200, body: { extension: { id: 103 } } });
    const [missing] = await rc.batchGet(PRESENCE, ['5']);
    expect(missing).toMatchObject({ id: '5', status: 404 });
    expect(missing?.error).toBeInstanceOf(ApiError);
    expect(await rc.batchGet(PRESENCE, [])).toEqual([]);
  });

  it('the mock refuses more than 30 ids, as RingCentral does', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const ids = Array.from({ length: 31 }, (_, i) => 101 + i).join(',');
    await expect(rc.get(presencePath(ids))).rejects.toMatchObject({ status: 400, errorCode: 'CMN-101' });
  });

  it('a 401 mid-batch is refreshed once and the chunk re-sent', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.invalidateAccessTokens();
    server.resetStats();
    const results = await rc.batchGet(PRESENCE, [101, 102, 103]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.stats.byGrant.refresh_token).toBe(1);
  });

  it('checks its arguments', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    await expect(rc.batchGet('/restapi/v1.0/account/~/extension/presence', [1])).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(rc.batchGet(PRESENCE, ['1,2'])).rejects.toBeInstanceOf(ConfigError);
    await expect(rc.batchGet(PRESENCE, [1], { chunkSize: 31 })).rejects.toBeInstanceOf(ConfigError);
  });

  describe('a malformed batch reply is an ApiError, never a crash', () => {
    const path = presencePath('101,102');
    const boundary = 'Boundary_x';
    const type = `multipart/mixed; boundary=${boundary}`;
    const part = (json: string) => `--${boundary}\r\nContent-Type: application/json\r\n\r\n${json}\r\n`;
    const summary = part('{"response":[{"status":200},{"status":404}]}');
    const cases: [string, { status: number; headers?: Record<string, string>; body: string }][] = [
      ['a 200 JSON reply to several ids', { status: 200, body: '{"records":[]}' }],
      ['no boundary', { status: 207, headers: { 'Content-Type': 'multipart/mixed' }, body: summary }],
      [
        'no closing delimiter',
        { status: 207, headers: { 'Content-Type': type }, body: summary + part('{}') + part('{}') },
      ],
      [
        'a wrong boundary',
        {
          status: 207,
          headers: { 'Content-Type': 'multipart/mixed; boundary=other' },
          body: `${summary}--${boundary}--\r\n`,
        },
      ],
      [
        'too few parts',
        {
          status: 207,
          headers: { 'Content-Type': type },
          body: `${summary}${part('{}')}--${boundary}--\r\n`,
        },
      ],
      [
        'a summary that is not JSON',
        {
          status: 207,
          headers: { 'Content-Type': type },
          body: `${part('nope')}${part('{}')}${part('{}')}--${boundary}--\r\n`,
        },
      ],
      [
        'a success part that is not JSON',
        {
          status: 207,
          headers: { 'Content-Type': type },
          body: `${summary}${part('{{')}${part('{}')}--${boundary}--\r\n`,
        },
      ],
      [
        'a part without headers block',
        {
          status: 207,
          headers: { 'Content-Type': type },
          body: `${summary}--${boundary}\r\nX: y--${boundary}--\r\n`,
        },
      ],
    ];
    for (const [name, reply] of cases) {
      it(name, async () => {
        const server = await mockServer();
        const rc = await loggedIn(server);
        server.failNext({
          method: 'GET',
          path,
          status: reply.status,
          headers: reply.headers ?? {},
          body: reply.body,
        });
        const error = await rc.batchGet(PRESENCE, ['101', '102']).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).message).toMatch(/malformed batch reply/);
        for (const secret of await secretsOf(rc, server)) expect(JSON.stringify(error)).not.toContain(secret);
      });
    }

    it('a reply larger than maxResponseBytes', async () => {
      const server = await mockServer();
      const rc = await loggedIn(server);
      const error = await rc
        .batchGet(PRESENCE, ['101', '102'], { maxResponseBytes: 100 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toMatch(/exceeds 100 bytes/);
    });
  });
});
