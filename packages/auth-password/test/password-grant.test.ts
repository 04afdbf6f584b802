import { inspect } from 'node:util';
import { passwordGrant } from '@rc/auth-password';
import { ConfigError, createClient, type GrantContext, type TokenRequestParams } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { describe, expect, it } from 'vitest';

const fakeContext = () => {
  const calls: TokenRequestParams[] = [];
  const ctx: GrantContext = {
    client: { server: 'https://platform.devtest.ringcentral.com', clientId: 'id', confidential: true },
    tokenRequest: async (params) => {
      calls.push(params);
      return { accessToken: 'a', tokenType: 'bearer', expiresAt: Date.now() + 60_000 };
    },
  };
  return { ctx, calls };
};

describe('passwordGrant()', () => {
  it('is unattended and sends grant_type=password, username, password and extension', async () => {
    const grant = passwordGrant({ username: '+16505550100', extension: '101', password: 'pw-123456' });
    expect(grant).toMatchObject({ name: 'password', unattended: true });
    const { ctx, calls } = fakeContext();
    await grant.requestToken(ctx);
    expect(calls).toEqual([
      { grant_type: 'password', username: '+16505550100', password: 'pw-123456', extension: '101' },
    ]);
  });

  it('leaves extension out when not given', async () => {
    const { ctx, calls } = fakeContext();
    await passwordGrant({ username: 'user@example.com', password: 'pw-123456' }).requestToken(ctx);
    expect(calls[0]?.extension).toBeUndefined();
  });

  it('checks its options at the call, naming the bad one', () => {
    const bad: [unknown, string][] = [
      [undefined, 'options'],
      [{ password: 'x' }, 'username'],
      [{ username: 'u', password: '' }, 'password'],
      [{ username: 'u', password: 'p', extension: 'abc' }, 'extension'],
      [{ username: 'u', password: 'p', ext: '101' }, 'ext'],
    ];
    for (const [options, option] of bad) {
      try {
        passwordGrant(options as never);
        expect.fail('expected a ConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).option).toBe(option);
      }
    }
  });

  it('refuses an unknown option, hinting the camelCase name and quoting no value', () => {
    let thrown: unknown;
    try {
      passwordGrant({ username: 'u', password: 'SECRET-pw-9f8e7d', grant_type: 'password' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe('grant_type');
    expect((thrown as ConfigError).message).toMatch(/passwordGrant\(\): unknown option "grant_type"/);
    expect((thrown as ConfigError).message).not.toContain('SECRET');
  });

  it('keeps the password out of the grant object (JSON, inspect)', () => {
    const grant = passwordGrant({ username: 'u', password: 'SECRET-pw-9f8e7d' });
    expect(JSON.stringify(grant)).not.toContain('SECRET-pw-9f8e7d');
    expect(inspect(grant, { depth: 5, showHidden: true })).not.toContain('SECRET-pw-9f8e7d');
  });

  it('logs in against the mock server with the ttl options from authorize()', async () => {
    const server = await startMockServer();
    try {
      const bodies: string[] = [];
      const rc = createClient({
        server: server.url,
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        fetch: async (input, init) => {
          const req = new Request(input, init);
          bodies.push(await req.clone().text());
          return fetch(req);
        },
      });
      const token = await rc.authorize(
        passwordGrant({
          username: server.user.username,
          extension: server.user.extension!,
          password: server.user.password,
        }),
        { accessTokenTtl: 600, refreshTokenTtl: 3600 },
      );
      const form = new URLSearchParams(bodies[0]);
      expect(Object.fromEntries(form)).toMatchObject({
        grant_type: 'password',
        username: server.user.username,
        extension: server.user.extension,
        access_token_ttl: '600',
        refresh_token_ttl: '3600',
      });
      expect(token.ownerId).toBe(server.user.id);
      expect(token.expiresAt - Date.now()).toBeLessThanOrEqual(600_000);
      expect(token.refreshTokenExpiresAt! - Date.now()).toBeLessThanOrEqual(3600_000);
    } finally {
      await server.close();
    }
  });
});
