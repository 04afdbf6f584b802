import { inspect } from 'node:util';
import { JWT_BEARER_GRANT_TYPE, jwtGrant } from '@rc/auth-jwt';
import { ConfigError, type GrantContext, type TokenRequestParams } from '@rc/core';
import { describe, expect, it } from 'vitest';

// A well-formed JWT (header.payload.signature) that no server issued.
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMDEiLCJhdWQiOiJodHRwczovL3BsYXRmb3JtLnJpbmdjZW50cmFsLmNvbSJ9.c2lnbmF0dXJlLW9mLXRoZS1jcmVkZW50aWFs';

describe('jwtGrant() options', () => {
  it('is unattended and sends the RFC 7523 grant type with the JWT as assertion', async () => {
    const grant = jwtGrant({ jwt: JWT });
    expect(grant).toMatchObject({ name: 'jwt', unattended: true });
    const calls: TokenRequestParams[] = [];
    const ctx: GrantContext = {
      client: { server: 'https://platform.ringcentral.com', clientId: 'id', confidential: true },
      tokenRequest: async (params) => {
        calls.push(params);
        return { accessToken: 'a', tokenType: 'bearer', expiresAt: Date.now() + 60_000 };
      },
    };
    await grant.requestToken(ctx);
    expect(calls).toEqual([{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: JWT }]);
    expect(JWT_BEARER_GRANT_TYPE).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it('refuses a missing, empty, non-string or malformed jwt at the call, naming the option and not the value', () => {
    const bad: [unknown, string, RegExp][] = [
      [undefined, 'options', /options are required/],
      [null, 'options', /options are required/],
      [{}, 'jwt', /it is missing; is RC_JWT set/],
      [{ jwt: '' }, 'jwt', /it is empty/],
      [{ jwt: 42 }, 'jwt', /it is a number/],
      [{ jwt: { token: JWT } }, 'jwt', /it is an object/],
      [{ jwt: 'not-a-jwt-but-a-client-secret' }, 'jwt', /is not a JWT/],
      [{ jwt: `${JWT}\n` }, 'jwt', /whitespace/],
      [{ jwt: `${JWT}.extra` }, 'jwt', /is not a JWT/],
      [{ jwt: JWT, assertion: JWT }, 'assertion', /jwtGrant\(\): unknown option "assertion"/],
      [{ JWT }, 'JWT', /unknown option "JWT"/],
    ];
    for (const [options, option, message] of bad) {
      let thrown: unknown;
      try {
        jwtGrant(options as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).option).toBe(option);
      expect((thrown as ConfigError).message).toMatch(message);
      expect((thrown as ConfigError).message).not.toContain('eyJ');
      expect((thrown as ConfigError).message).not.toContain('client-secret');
    }
  });

  it('keeps the credential out of the grant object (JSON, inspect, keys)', () => {
    const grant = jwtGrant({ jwt: JWT });
    expect(JSON.stringify(grant)).toBe('{"name":"jwt"}');
    const shown = inspect(grant, { depth: 10, showHidden: true, getters: true });
    for (const segment of JWT.split('.')) expect(shown).not.toContain(segment);
    expect(Object.values(grant).some((v) => typeof v === 'string' && v.includes('eyJ'))).toBe(false);
    expect(Object.isFrozen(grant)).toBe(true);
  });
});
