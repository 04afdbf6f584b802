import {
  type ClientInfo,
  ConfigError,
  type GrantContext,
  OAuthError,
  type TokenRequestParams,
  type TokenSet,
} from '@rc/core';
import { describe, expect, it } from 'vitest';
import { authCodeGrant, authorizeUrl, parseCallback, pkceChallenge } from '../src/index.js';
import { caught, confidentialClient, publicClient, REDIRECT } from './fixtures.js';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const TOKEN: TokenSet = { accessToken: 'at', tokenType: 'bearer', expiresAt: 1 };

/** A GrantContext that records every token request and answers with TOKEN (or `reply`). */
const fakeContext = (client: ClientInfo, reply: () => Promise<TokenSet> = async () => TOKEN) => {
  const calls: TokenRequestParams[] = [];
  const ctx: GrantContext = {
    client,
    tokenRequest: async (params) => {
      calls.push(params);
      return reply();
    },
  };
  return { ctx, calls };
};

describe('authCodeGrant: the grant', () => {
  it("is named 'authorization_code' and is not unattended", () => {
    const grant = authCodeGrant({ code: 'c' });
    expect(grant.name).toBe('authorization_code');
    expect(grant.unattended).toBe(false);
    expect(Object.isFrozen(grant)).toBe(true);
  });

  it('does not expose the code or the verifier', () => {
    const grant = authCodeGrant({ code: 'the-secret-code', codeVerifier: VERIFIER });
    expect(JSON.stringify(grant)).not.toContain('the-secret-code');
    expect(JSON.stringify(grant)).not.toContain(VERIFIER);
    expect(Object.values(grant)).not.toContain('the-secret-code');
  });
});

describe('authCodeGrant: the token request', () => {
  it("sends grant_type, code, the client's redirect_uri and code_verifier", async () => {
    const { ctx, calls } = fakeContext(publicClient);
    await expect(authCodeGrant({ code: 'c0de', codeVerifier: VERIFIER }).requestToken(ctx)).resolves.toBe(
      TOKEN,
    );
    expect(calls).toEqual([
      { grant_type: 'authorization_code', code: 'c0de', redirect_uri: REDIRECT, code_verifier: VERIFIER },
    ]);
  });

  it('uses the redirectUri option over the client one', async () => {
    const { ctx, calls } = fakeContext(confidentialClient);
    await authCodeGrant({ code: 'c', redirectUri: 'http://localhost:3000/cb' }).requestToken(ctx);
    expect(calls[0]?.redirect_uri).toBe('http://localhost:3000/cb');
  });

  it('sends no code_verifier for a confidential client without PKCE, and no client credentials', async () => {
    const { ctx, calls } = fakeContext(confidentialClient);
    await authCodeGrant({ code: 'c' }).requestToken(ctx);
    expect(calls[0]).toEqual({ grant_type: 'authorization_code', code: 'c', redirect_uri: REDIRECT });
    expect(Object.keys(calls[0] ?? {})).not.toContain('client_id'); // core's tokenRequest adds client auth
  });

  it('refuses a client without a secret that has no codeVerifier, before any request', async () => {
    const { ctx, calls } = fakeContext(publicClient);
    const error = await caught(() => authCodeGrant({ code: 'c' }).requestToken(ctx));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('codeVerifier');
    expect(calls).toEqual([]);
  });

  it('refuses when there is no redirect URI at all, before any request', async () => {
    const { redirectUri: _, ...noRedirect } = confidentialClient;
    const { ctx, calls } = fakeContext(noRedirect);
    const error = await caught(() => authCodeGrant({ code: 'c' }).requestToken(ctx));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('redirectUri');
    expect(calls).toEqual([]);
  });

  it("passes the token endpoint's OAuthError through", async () => {
    const refused = new OAuthError({ status: 400, error: 'invalid_grant' });
    const { ctx } = fakeContext(confidentialClient, () => Promise.reject(refused));
    await expect(authCodeGrant({ code: 'c' }).requestToken(ctx)).rejects.toBe(refused);
  });
});

describe('authCodeGrant: options, checked at the call', () => {
  it.each([
    ['empty', ''],
    ['not a string', 42],
    ['missing', undefined],
  ])('refuses a code that is %s', async (_, code) => {
    expect(() => authCodeGrant({ code } as { code: string })).toThrow(ConfigError);
    const error = await caught(() => authCodeGrant({ code } as { code: string }));
    expect((error as ConfigError).option).toBe('code');
  });

  it.each(['short', `${VERIFIER}+`, 'a'.repeat(129), 42])(
    'refuses codeVerifier %j without echoing it',
    async (codeVerifier) => {
      const thrown = await caught(() => authCodeGrant({ code: 'c', codeVerifier: codeVerifier as string }));
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).option).toBe('codeVerifier');
      if (typeof codeVerifier === 'string')
        expect(JSON.stringify(thrown) + String(thrown)).not.toContain(codeVerifier);
    },
  );

  it.each(['/cb', 'myapp://cb', 'https://app.example.com/cb#x'])('refuses redirectUri %j', (redirectUri) => {
    expect(() => authCodeGrant({ code: 'c', redirectUri })).toThrow(ConfigError);
  });

  it('refuses unknown options and wire names', () => {
    expect(() =>
      authCodeGrant({ code: 'c', code_verifier: VERIFIER } as unknown as { code: string }),
    ).toThrow(/codeVerifier/);
    expect(() => authCodeGrant(null as unknown as { code: string })).toThrow(ConfigError);
  });

  it('never puts the code into an error', async () => {
    const thrown = await caught(() => authCodeGrant({ code: 'secret-code', codeVerifier: 'bad' }));
    expect(String(thrown) + JSON.stringify(thrown)).not.toContain('secret-code');
  });
});

describe('the whole flow, without a server', () => {
  it('authorizeUrl → callback → parseCallback → authCodeGrant sends the verifier of the challenge', async () => {
    const { url, state, codeVerifier } = await authorizeUrl({ info: publicClient });
    const sent = new URL(url).searchParams;
    // The authorization server redirects back with a code and the same state.
    const callback = `${sent.get('redirect_uri')}?code=auth-code-1&state=${sent.get('state')}`;
    const { code } = parseCallback(callback, { state });
    const { ctx, calls } = fakeContext(publicClient);
    await authCodeGrant({ code, ...(codeVerifier ? { codeVerifier } : {}) }).requestToken(ctx);
    expect(calls[0]?.code).toBe('auth-code-1');
    expect(await pkceChallenge(calls[0]?.code_verifier as string)).toBe(sent.get('code_challenge'));
  });
});
