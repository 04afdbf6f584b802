import { type ClientInfo, ConfigError } from '@rc/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuthorizeUrlOptions, authorizeUrl, pkceChallenge } from '../src/index.js';
import { BASE64URL, caught, confidentialClient, publicClient, REDIRECT, SERVER } from './fixtures.js';

const query = async (client: ClientInfo, options?: AuthorizeUrlOptions) => {
  const result = await authorizeUrl(client, options);
  return { ...result, params: new URL(result.url).searchParams };
};

/** The ConfigError `authorizeUrl` rejects with; asserts it names `option`. */
const configError = async (option: string, client: unknown, options?: unknown) => {
  const error = await caught(() => authorizeUrl(client as ClientInfo, options as AuthorizeUrlOptions));
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).option).toBe(option);
  return error as ConfigError;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('authorizeUrl: defaults', () => {
  it('builds the authorize URL of the client server with response_type, client_id, redirect_uri and state', async () => {
    const { url, params, state } = await query(confidentialClient);
    expect(url.startsWith(`${SERVER}/restapi/oauth/authorize?`)).toBe(true);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('confidential-id');
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    expect(params.get('state')).toBe(state);
    for (const name of ['display', 'prompt', 'brand_id', 'ui_locales', 'login_hint']) {
      expect(params.has(name), name).toBe(false);
    }
    expect(params.get('code_challenge_method')).toBe('S256');
  });

  it('accepts an RcClient (anything with `info`) as well as a ClientInfo', async () => {
    const { params } = await query({ info: publicClient } as unknown as ClientInfo);
    expect(params.get('client_id')).toBe('public-id');
  });

  it('drops trailing slashes of the server and keeps a path prefix', async () => {
    const { url } = await authorizeUrl({ ...confidentialClient, server: 'https://proxy.example.com/rc/' });
    expect(url.startsWith('https://proxy.example.com/rc/restapi/oauth/authorize?')).toBe(true);
  });

  it('has exactly the expected parameters, wire names only, in a stable order', async () => {
    const { params } = await query(publicClient);
    expect([...params.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
  });
});

describe('authorizeUrl: state', () => {
  it('generates 32 random bytes from Web Crypto, base64url: 43 characters', async () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const { state } = await authorizeUrl(confidentialClient, { pkce: false });
    expect(state).toHaveLength(43);
    expect(state).toMatch(BASE64URL);
    expect(spy).toHaveBeenCalledTimes(1);
    const bytes = spy.mock.calls[0]?.[0] as Uint8Array;
    expect(bytes.byteLength).toBeGreaterThanOrEqual(16); // at least 128 bits
    expect(bytes.byteLength).toBe(32);
  });

  it('never repeats a generated state', async () => {
    const states = await Promise.all(
      Array.from({ length: 300 }, async () => (await authorizeUrl(confidentialClient)).state),
    );
    expect(new Set(states).size).toBe(300);
  });

  it('sends a given state unchanged and returns it', async () => {
    const { params, state } = await query(confidentialClient, { state: 'My.own-state_~42' });
    expect(state).toBe('My.own-state_~42');
    expect(params.get('state')).toBe('My.own-state_~42');
  });

  it.each([
    ['empty', ''],
    ['with a space', 'abc def'],
    ['with +', 'abc+def'],
    ['with /', 'abc/def'],
    ['with =', 'abc='],
    ['non-ASCII', 'état'],
    ['a number', 42],
    ['null', null],
  ])('refuses a state that is %s, without echoing it', async (_, state) => {
    const error = await configError('state', confidentialClient, { state });
    if (typeof state === 'string' && state !== '') expect(error.message).not.toContain(state);
  });
});

describe('authorizeUrl: redirectUri', () => {
  it('uses the option over the client one', async () => {
    const { params } = await query(confidentialClient, { redirectUri: 'http://localhost:3000/cb?x=1' });
    expect(params.get('redirect_uri')).toBe('http://localhost:3000/cb?x=1');
  });

  it('refuses when neither the option nor the client has one', async () => {
    const { redirectUri: _, ...noRedirect } = confidentialClient;
    const error = await configError('redirectUri', noRedirect);
    expect(error.message).toContain('redirectUri');
  });

  it.each([
    ['relative', '/callback'],
    ['not a URL', 'callback'],
    ['ftp', 'ftp://example.com/cb'],
    ['a custom scheme', 'myapp://callback'],
    ['javascript:', 'javascript:alert(1)'],
    ['with a fragment', 'https://app.example.com/cb#x'],
    ['with an empty fragment', 'https://app.example.com/cb#'],
    ['empty', ''],
    ['a number', 1],
  ])('refuses one that is %s', async (_, redirectUri) => {
    await configError('redirectUri', confidentialClient, { redirectUri });
  });

  it('checks the client one too', async () => {
    await configError('redirectUri', { ...confidentialClient, redirectUri: '/relative' });
  });
});

describe('authorizeUrl: display', () => {
  it.each(['page', 'popup', 'touch', 'mobile'] as const)('sends display=%s', async (display) => {
    const { params } = await query(confidentialClient, { display });
    expect(params.get('display')).toBe(display);
  });

  it.each(['', 'PAGE', 'window', 1])('refuses display %j', async (display) => {
    await configError('display', confidentialClient, { display });
  });
});

describe('authorizeUrl: prompt', () => {
  it.each(['login', 'sso', 'consent', 'none'] as const)('sends prompt=%s', async (prompt) => {
    const { params } = await query(confidentialClient, { prompt });
    expect(params.get('prompt')).toBe(prompt);
  });

  it('sends an array space-separated (as %20), without duplicates', async () => {
    const { url, params } = await query(confidentialClient, { prompt: ['login', 'consent', 'login'] });
    expect(params.get('prompt')).toBe('login consent');
    expect(url).toContain('prompt=login%20consent');
    expect(url).not.toContain('+');
  });

  it('accepts a space-separated string', async () => {
    const { params } = await query(confidentialClient, { prompt: ' sso  consent ' as 'sso' });
    expect(params.get('prompt')).toBe('sso consent');
  });

  it("accepts 'none' repeated, alone", async () => {
    const { params } = await query(confidentialClient, { prompt: ['none', 'none'] });
    expect(params.get('prompt')).toBe('none');
  });

  it("refuses 'none' combined with another value (OIDC)", async () => {
    const error = await configError('prompt', confidentialClient, { prompt: ['none', 'login'] });
    expect(error.message).toContain('none');
    await configError('prompt', confidentialClient, { prompt: 'consent none' });
  });

  it.each([
    ['an unknown value', 'select_account'],
    ['an unknown value in an array', ['login', 'select_account']],
    ['wrong case', 'Login'],
    ['an empty string', ''],
    ['an empty array', []],
    ['a non-string in an array', ['login', 1]],
    ['a number', 1],
  ])('refuses %s', async (_, prompt) => {
    await configError('prompt', confidentialClient, { prompt });
  });
});

describe('authorizeUrl: brandId', () => {
  it.each([
    [1210, '1210'],
    ['1210', '1210'],
    [0, '0'],
    ['007', '007'],
  ])('sends brand_id for %j', async (brandId, sent) => {
    const { params } = await query(confidentialClient, { brandId });
    expect(params.get('brand_id')).toBe(sent);
  });

  it.each(['', '12a', ' 12', '-1', '1.5', -1, 1.5, Number.NaN, 2 ** 60, true])(
    'refuses %j',
    async (brandId) => {
      await configError('brandId', confidentialClient, { brandId });
    },
  );
});

describe('authorizeUrl: uiLocales', () => {
  it('sends a single tag', async () => {
    const { params } = await query(confidentialClient, { uiLocales: 'fr-CA' });
    expect(params.get('ui_locales')).toBe('fr-CA');
  });

  it('sends an array space-separated, without duplicates', async () => {
    const { url, params } = await query(confidentialClient, {
      uiLocales: ['fr-CA', 'en-US', 'fr-CA', 'zh-Hant-TW'],
    });
    expect(params.get('ui_locales')).toBe('fr-CA en-US zh-Hant-TW');
    expect(url).toContain('ui_locales=fr-CA%20en-US%20zh-Hant-TW');
  });

  it('accepts a space-separated string', async () => {
    const { params } = await query(confidentialClient, { uiLocales: 'de-DE en' });
    expect(params.get('ui_locales')).toBe('de-DE en');
  });

  it.each([
    ['an empty string', ''],
    ['an empty array', []],
    ['an underscore tag', 'en_US'],
    ['a one-letter language', 'e'],
    ['a comma-separated list', 'en,fr'],
    ['a too long subtag', 'en-abcdefghi'],
    ['a non-string in an array', ['en', 3]],
  ])('refuses %s', async (_, uiLocales) => {
    await configError('uiLocales', confidentialClient, { uiLocales });
  });
});

describe('authorizeUrl: loginHint', () => {
  it('sends login_hint, percent-encoded', async () => {
    const { url, params } = await query(confidentialClient, { loginHint: '+1 650-555-0100' });
    expect(params.get('login_hint')).toBe('+1 650-555-0100');
    expect(url).toContain('login_hint=%2B1%20650-555-0100');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['with a newline', 'jane@example.com\n'],
    ['a number', 16505550100],
  ])('refuses one that is %s, without echoing it', async (_, loginHint) => {
    const error = await configError('loginHint', confidentialClient, { loginHint });
    if (typeof loginHint === 'string' && loginHint.trim())
      expect(error.message).not.toContain(loginHint.trim());
  });
});

describe('authorizeUrl: PKCE', () => {
  it('is on by default for a client without a secret', async () => {
    const { params, codeVerifier } = await query(publicClient);
    expect(codeVerifier).toHaveLength(43);
    expect(codeVerifier).toMatch(BASE64URL);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toBe(await pkceChallenge(codeVerifier as string));
  });

  it('is on when a public client asks for it explicitly', async () => {
    const { params, codeVerifier } = await query(publicClient, { pkce: true });
    expect(params.get('code_challenge')).toBe(await pkceChallenge(codeVerifier as string));
  });

  it('is refused off for a client without a secret (RingCentral requires it)', async () => {
    const error = await configError('pkce', publicClient, { pkce: false });
    expect(error.message).toMatch(/PKCE/);
  });

  // Issue 10 item 8 (RFC 9700 §2.1.1): on for every client by default. Failed before: a
  // confidential client got no challenge.
  it('is on by default for a confidential client too (S256, codeVerifier returned)', async () => {
    const { params, codeVerifier } = await query(confidentialClient);
    expect(codeVerifier).toHaveLength(43);
    expect(params.get('code_challenge')).toBe(await pkceChallenge(codeVerifier as string));
    expect(params.get('code_challenge_method')).toBe('S256');
  });

  it('can be turned on for a confidential client', async () => {
    const { params, codeVerifier } = await query(confidentialClient, { pkce: true });
    expect(params.get('code_challenge')).toBe(await pkceChallenge(codeVerifier as string));
    expect(params.get('code_challenge_method')).toBe('S256');
  });

  it('can be left off explicitly by a confidential client (the documented opt-out)', async () => {
    const result = await query(confidentialClient, { pkce: false });
    expect(result.codeVerifier).toBeUndefined();
    expect(result.params.has('code_challenge')).toBe(false);
  });

  it('treats a client whose `confidential` is missing as public', async () => {
    const { confidential: _, ...info } = confidentialClient;
    const { codeVerifier } = await query(info as ClientInfo);
    expect(codeVerifier).toHaveLength(43);
  });

  it.each(['yes', 1, null])('refuses pkce %j', async (pkce) => {
    await configError('pkce', confidentialClient, { pkce });
  });

  it('makes a fresh verifier each time', async () => {
    const a = await authorizeUrl(publicClient);
    const b = await authorizeUrl(publicClient);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });
});

describe('authorizeUrl: options and client checks', () => {
  it('refuses a wire name, pointing at the camelCase option', async () => {
    const error = await configError('redirect_uri', confidentialClient, { redirect_uri: REDIRECT });
    expect(error.message).toContain('redirectUri');
  });

  it('refuses an unknown option', async () => {
    await configError('scope', confidentialClient, { scope: 'ReadAccounts' });
  });

  it('refuses options that are not an object', async () => {
    await configError('options', confidentialClient, 'login');
  });

  it.each([
    ['null', null, 'client'],
    ['a string', 'public-id', 'client'],
    ['without clientId', { server: SERVER, confidential: false }, 'clientId'],
    ['with an empty clientId', { server: SERVER, clientId: '', confidential: false }, 'clientId'],
    [
      'with a relative server',
      { server: 'platform.ringcentral.com', clientId: 'x', confidential: false },
      'server',
    ],
    ['with info null', { info: null }, 'client'],
  ])('refuses a client %s', async (_, client, option) => {
    await configError(option, client, { redirectUri: REDIRECT });
  });

  it('rejects (does not throw synchronously), so `await` and `.catch` both see the error', async () => {
    const promise = authorizeUrl(confidentialClient, { display: 'window' as 'page' });
    await expect(promise).rejects.toBeInstanceOf(ConfigError);
  });
});
