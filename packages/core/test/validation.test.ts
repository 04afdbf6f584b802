// Issue 10 items 5 and 6: every option is checked at construction; every error a caller sees is an
// RcError; token replies and redirect URIs that cannot be right are refused. Failed before the fix:
// timeout 3e9/Infinity and the other option cases were accepted (then every request threw a
// RangeError); token_type mac, expires_in 1e308 and a negative refresh_token_expires_in were used;
// redirectUri javascript:/data:/vbscript: was accepted.
import { passwordGrant } from '@rc/auth-password';
import { ConfigError, createClient, isRcError, NetworkError, OAuthError } from '@rc/core';
import { parseTokenResponse } from '@rc/core/kit';
import { describe, expect, it } from 'vitest';
import { client, EXT, mockServer } from './fixtures.js';

const base = { server: 'https://platform.ringcentral.com', clientId: 'id' };
const configError = (options: Record<string, unknown>, option: string) => {
  let caught: unknown;
  try {
    createClient({ ...base, ...options } as never);
  } catch (e) {
    caught = e;
  }
  expect(caught, JSON.stringify(options)).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).option).toBe(option);
};

describe('item 5: every option is validated at construction', () => {
  it.each([3e9, Number.POSITIVE_INFINITY, Number.NaN, -1, 0, '100'])('timeout %s', (timeout) => {
    configError({ timeout }, 'timeout');
  });
  it.each([3e9, Number.NaN, 0])('totalTimeout %s', (totalTimeout) => {
    configError({ totalTimeout }, 'totalTimeout');
  });
  it.each([3e9, Number.NaN, 0, false])('tokenTimeoutMs %s', (tokenTimeoutMs) => {
    configError({ tokenTimeoutMs }, 'tokenTimeoutMs');
  });
  it.each([-1, 1.5, Number.NaN, 'x', { limit: -1 }, { limit: 1, backoffLimit: Number.NaN }])(
    'retry %j',
    (retry) => {
      configError({ retry }, 'retry');
    },
  );
  it('hooks, headers, throwHttpErrors and parseJson are checked', () => {
    configError({ hooks: 'x' }, 'hooks');
    configError({ hooks: { beforeRequest: 'x' } }, 'hooks.beforeRequest');
    configError({ headers: 5 }, 'headers');
    configError({ throwHttpErrors: 'yes' }, 'throwHttpErrors');
    configError({ parseJson: 1 }, 'parseJson');
  });
  it('the largest valid timeout is accepted', () => {
    expect(() => createClient({ ...base, timeout: 2_147_483_647, totalTimeout: false })).not.toThrow();
  });

  it("ky's timeout becomes a NetworkError (timeout: true) whose message and fields hold no query secret", async () => {
    const server = await mockServer();
    const rc = client(server, { timeout: 50, retry: 0 });
    await rc.setToken(server.issueToken());
    server.setLatency(300);
    const error = await rc
      .get(EXT, { searchParams: { access_token: 'SECRET-query-token-1234' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timeout).toBe(true);
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('SECRET-query');
  });
});

describe('item 6: token replies and redirect URIs', () => {
  const now = 1_000_000;
  it('a token_type other than bearer is refused with OAuthError', () => {
    expect(() => parseTokenResponse({ access_token: 'a', token_type: 'mac', expires_in: 60 }, now)).toThrow(
      OAuthError,
    );
    expect(
      parseTokenResponse({ access_token: 'a', token_type: 'Bearer', expires_in: 60 }, now).tokenType,
    ).toBe('bearer');
  });

  it('a huge expires_in is clamped, so memory and store agree', async () => {
    const t = parseTokenResponse(
      { access_token: 'a', expires_in: 1e308, refresh_token: 'r', refresh_token_expires_in: 1e308 },
      now,
    );
    expect(Number.isFinite(t.expiresAt)).toBe(true);
    expect(Number.isFinite(t.refreshTokenExpiresAt)).toBe(true);
    const server = await mockServer();
    const rc = client(server);
    server.failNext({
      path: '/restapi/oauth/token',
      status: 200,
      body: { ...server.issueToken(), expires_in: 1e308 },
    });
    const grant = passwordGrant({ username: server.user.username, password: server.user.password });
    const token = await rc.authorize(grant);
    expect(await rc.getToken()).toEqual(token);
  });

  it('a negative or zero refresh_token_expires_in is refused', () => {
    for (const v of [-1, 0]) {
      expect(() =>
        parseTokenResponse(
          { access_token: 'a', expires_in: 60, refresh_token: 'r', refresh_token_expires_in: v },
          now,
        ),
      ).toThrow(OAuthError);
    }
  });

  it('the stored token is never replaced by a refused reply', async () => {
    const server = await mockServer();
    const rc = client(server, { retry: 0 });
    const grant = passwordGrant({ username: server.user.username, password: server.user.password });
    const good = await rc.authorize(grant);
    server.failNext({
      path: '/restapi/oauth/token',
      status: 200,
      body: { ...server.issueToken(), token_type: 'mac' },
    });
    const error = await rc.refresh().catch((e: unknown) => e);
    expect(isRcError(error)).toBe(true);
    expect(await rc.getToken()).toEqual(good);
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,x',
    'vbscript:msgbox',
    'JavaScript:x',
    'file:///etc/passwd',
  ])('redirectUri %s is refused at construction', (redirectUri) => {
    configError({ redirectUri }, 'redirectUri');
  });
});

// Issue 18 item 8: a token that cannot go in a header (CR, LF, NUL, a space, a character beyond
// Latin-1) was accepted, and every later request then threw a plain TypeError quoting the bearer
// value. It is refused where tokens enter, with a typed error that quotes nothing.
describe('item 8 (issue 18): an access token that cannot be sent in a header is refused where it enters', () => {
  const BAD = [
    ['CR LF', 'SECRET-tok\r\nX-Injected: 1'],
    ['LF', 'SECRET-tok\nen-value'],
    ['NUL', 'SECRET-tok\0en-value'],
    ['a space', 'SECRET-tok en-value'],
    ['a character beyond Latin-1', 'SECRET-tok€n-value'],
  ] as const;
  const quotesNothing = (error: unknown, value: string) => {
    const shown = [String(error), JSON.stringify(error), (error as Error).stack].join('\n');
    expect(shown).not.toContain(value);
    expect(shown).not.toContain('SECRET-tok');
  };

  it.each(BAD)('setToken() with %s: ConfigError, in every input form', async (_, bad) => {
    const rc = createClient({ ...base, fetch: async () => expect.fail('nothing is sent') });
    for (const input of [
      { access_token: bad, expires_in: 3600 },
      { access_token: bad, expires_at: Date.now() / 1000 + 3600 },
      { accessToken: bad, tokenType: 'bearer', expiresAt: Date.now() + 3_600_000 },
    ]) {
      const error = await rc.setToken(input as never).then(
        () => expect.fail('expected a refusal'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      quotesNothing(error, bad);
    }
    expect(await rc.getToken()).toBeUndefined();
  });

  it.each(BAD)('a token reply with %s: OAuthError, and the token held stays', async (_, bad) => {
    const server = await mockServer();
    const rc = client(server, { retry: 0 });
    await rc.setToken(server.issueToken());
    const before = await rc.getToken();
    server.failNext({
      path: '/restapi/oauth/token',
      status: 200,
      body: JSON.stringify({ access_token: bad, token_type: 'bearer', expires_in: 3600 }),
    });
    const error = await rc.refresh().then(
      () => expect.fail('expected a refusal'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('invalid_token_response');
    quotesNothing(error, bad);
    expect(await rc.getToken()).toEqual(before);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ id: 101 });
  });

  it('parseTokenResponse refuses it too (the one reader of token replies)', () => {
    expect(() => parseTokenResponse({ access_token: 'a\r\nb', expires_in: 60 }, 0)).toThrow(OAuthError);
  });
});
