import { ConfigError, type GrantContext } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { clientCredentialsGrant } from '../src/client-credentials.js';
import { main } from '../src/main.js';

describe('examples/client-credentials-grant (docs/writing-a-grant.md)', () => {
  it('logs in once for three concurrent requests; an app not enabled is refused with an OAuthError', async () => {
    const lines: string[] = [];
    const { logins } = await main((line) => lines.push(line));
    expect(lines).toEqual([
      'Logged in as the app; acting as Mock User.',
      'other-app refused: unauthorized_client (OAU-251)',
      'client_credentials token requests: 2.',
    ]);
    expect(logins).toBe(2); // one login by service-app, one refused attempt by other-app
  });

  it('checks its option at the call and refuses a client without a secret', async () => {
    expect(() => clientCredentialsGrant({ scope: ' ' })).toThrow(ConfigError);
    const ctx: GrantContext = {
      client: { server: 'https://platform.ringcentral.com', clientId: 'spa', confidential: false },
      tokenRequest: () => Promise.reject(new Error('must not be called')),
    };
    await expect(clientCredentialsGrant().requestToken(ctx)).rejects.toMatchObject({
      option: 'clientSecret',
    });
  });
});
