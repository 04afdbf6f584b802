// Issue 18 item 14: a 5 MB string given as the JWT overflowed the stack (RangeError) while the
// grant built the encoded forms of the credential it scrubs. A credential longer than any
// RingCentral issues is a ConfigError; one of any accepted length builds its forms without a spread.
import { jwtGrant } from '@rc/auth-jwt';
import { ConfigError, type GrantContext, OAuthError } from '@rc/core';
import { describe, expect, it } from 'vitest';

const segment = (n: number) => 'A'.repeat(n);
const jwtOf = (n: number) => `${segment(n)}.${segment(n)}.${segment(n)}`;

describe('a very long JWT credential', () => {
  it('5 MB: a ConfigError naming `jwt`, not a RangeError', () => {
    let error: unknown;
    try {
      jwtGrant({ jwt: jwtOf((5 * 1024 * 1024) / 3) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('jwt');
    expect((error as ConfigError).message).toMatch(/longer than/);
  });

  it('the longest accepted one builds its scrubber and scrubs an echo of it', async () => {
    const jwt = jwtOf(Math.floor((64 * 1024) / 3) - 1);
    const grant = jwtGrant({ jwt });
    const ctx: GrantContext = {
      client: { server: 'https://platform.ringcentral.com', clientId: 'id', confidential: true },
      tokenRequest: async () => {
        throw new OAuthError({ status: 400, error: 'invalid_grant', errorDescription: `bad ${jwt}` });
      },
    };
    const error = await grant.requestToken(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(String((error as Error).message)).not.toContain(segment(100));
  });
});
