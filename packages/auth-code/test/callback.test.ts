import { ConfigError, ErrorCodes, isRcError, OAuthError } from '@rc/core';
import { timingSafeEqual } from '@rc/core/kit';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../src/index.js';
import { caught } from './fixtures.js';

const STATE = 'Xq0tJ5uN1cPq2m3yW9kRr8sVb4Lz6Ha7De-_Fg1Hi2J';
const CODE = 'U0pDMTFQMDFQQVMwMHxBQUJfTVpTN0NvZGUtc2VjcmV0';
const CB = 'https://app.example.com/oauth/callback';

const oauthError = (input: string | URL | URLSearchParams, state = STATE) => {
  let thrown: unknown;
  try {
    parseCallback(input, { state });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OAuthError);
  return thrown as OAuthError;
};

/** No rendering of the error holds the code or either state. */
const expectNoSecrets = (error: unknown, ...secrets: string[]) => {
  const e = error as Error;
  const renderings = [String(e), e.message, JSON.stringify(e), e.stack ?? '', JSON.stringify({ ...e })];
  for (const text of renderings) {
    for (const secret of [CODE, STATE, ...secrets]) expect(text).not.toContain(secret);
  }
};

describe('parseCallback: success', () => {
  it.each([
    ['a URL string', `${CB}?code=${CODE}&state=${STATE}`],
    ['a URL', new URL(`${CB}?state=${STATE}&code=${CODE}`)],
    ['URLSearchParams', new URLSearchParams({ code: CODE, state: STATE })],
    ["a path with query (Node's req.url)", `/oauth/callback?code=${CODE}&state=${STATE}`],
    ['a query string with ?', `?code=${CODE}&state=${STATE}`],
    ['a bare query string', `code=${CODE}&state=${STATE}`],
  ])('returns the code from %s', (_, input) => {
    expect(parseCallback(input, { state: STATE })).toEqual({ code: CODE });
  });

  it('decodes percent-encoded values', () => {
    const params = new URLSearchParams({ code: 'a/b+c=d', state: 'st.~' });
    expect(parseCallback(`${CB}?${params}`, { state: 'st.~' })).toEqual({ code: 'a/b+c=d' });
  });

  it('ignores other parameters', () => {
    expect(parseCallback(`${CB}?code=${CODE}&state=${STATE}&iss=x&foo=bar`, { state: STATE })).toEqual({
      code: CODE,
    });
  });
});

describe('parseCallback: fragment', () => {
  it('reads the fragment when the query is empty (string and URL)', () => {
    expect(parseCallback(`${CB}#code=${CODE}&state=${STATE}`, { state: STATE })).toEqual({ code: CODE });
    expect(parseCallback(new URL(`${CB}?#state=${STATE}&code=${CODE}`), { state: STATE })).toEqual({
      code: CODE,
    });
    expect(parseCallback(`#code=${CODE}&state=${STATE}`, { state: STATE })).toEqual({ code: CODE });
  });

  it('prefers the query when both carry parameters', () => {
    expect(
      parseCallback(`${CB}?code=${CODE}&state=${STATE}#code=other&state=other`, { state: STATE }),
    ).toEqual({
      code: CODE,
    });
  });

  it('checks the state of a fragment response too', () => {
    const error = oauthError(`${CB}#code=${CODE}&state=wrong`);
    expect(error.code).toBe(ErrorCodes.STATE_MISMATCH);
  });
});

describe('parseCallback: provider error', () => {
  it('throws OAuthError with the error and description of the callback', () => {
    const error = oauthError(
      `${CB}?error=access_denied&error_description=${encodeURIComponent('The user denied access')}&state=${STATE}`,
    );
    expect(error.code).toBe(ErrorCodes.OAUTH);
    expect(error.error).toBe('access_denied');
    expect(error.errorDescription).toBe('The user denied access');
    expect(error.status).toBe(0);
    expect(error.message).toContain('access_denied');
    expect(isRcError(error)).toBe(true);
    expectNoSecrets(error);
  });

  it('reports the error even when a code is present', () => {
    const error = oauthError(`${CB}?error=server_error&code=${CODE}&state=${STATE}`);
    expect(error.error).toBe('server_error');
    expect(error.errorDescription).toBeUndefined();
    expectNoSecrets(error);
  });

  it('sanitises provider text: no control characters, bounded length', () => {
    const description = `line1\r\nline2\u0000${'x'.repeat(1000)}`;
    const error = oauthError(
      `${CB}?${new URLSearchParams({ error: 'bad\nerror', error_description: description, state: STATE })}`,
    );
    expect(error.error).not.toMatch(/[\r\n]/);
    expect(error.errorDescription).not.toMatch(/\p{Cc}/u);
    expect((error.errorDescription ?? '').length).toBeLessThanOrEqual(301);
  });

  it('is a state mismatch when its state is wrong: an unverified error may be forged', () => {
    const error = oauthError(`${CB}?error=access_denied&state=not-the-state`);
    expect(error.code).toBe(ErrorCodes.STATE_MISMATCH);
    expect(error.error).toBe('state_mismatch');
    expect(error.errorDescription).toContain('access_denied'); // mentioned for debugging, as unverified
    expectNoSecrets(error, 'not-the-state');
  });

  it('is a state mismatch when it carries no state', () => {
    const error = oauthError(`${CB}?error=access_denied`);
    expect(error.code).toBe(ErrorCodes.STATE_MISMATCH);
  });
});

describe('parseCallback: state', () => {
  it.each([
    ['missing', `${CB}?code=${CODE}`],
    ['missing, with nothing else either', CB],
    ['empty', `${CB}?code=${CODE}&state=`],
    ['different', `${CB}?code=${CODE}&state=${STATE.replace('X', 'Y')}`],
    ['a prefix of the expected one', `${CB}?code=${CODE}&state=${STATE.slice(0, 10)}`],
    ['longer than the expected one', `${CB}?code=${CODE}&state=${STATE}x`],
    ['repeated (even once right)', `${CB}?code=${CODE}&state=${STATE}&state=${STATE}`],
    ['different in case only', `${CB}?code=${CODE}&state=${STATE.toLowerCase()}`],
  ])('throws RC_STATE_MISMATCH when it is %s, holding neither code nor state', (_, input) => {
    const error = oauthError(input);
    expect(error.code).toBe(ErrorCodes.STATE_MISMATCH);
    expect(error.error).toBe('state_mismatch');
    expectNoSecrets(error, STATE.replace('X', 'Y'), STATE.slice(0, 10), STATE.toLowerCase());
  });

  it('checks the state before the code', () => {
    expect(oauthError(`${CB}?state=wrong`).code).toBe(ErrorCodes.STATE_MISMATCH);
  });

  it.each([
    ['missing', {}],
    ['empty', { state: '' }],
    ['not a string', { state: 42 }],
  ])('requires the expected state (%s)', async (_, options) => {
    const error = await caught(() =>
      parseCallback(`${CB}?code=${CODE}&state=${STATE}`, options as { state: string }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('state');
    expectNoSecrets(error);
  });

  it('refuses an unknown option, naming it (a state given twice by another name is not ignored)', async () => {
    const error = await caught(() =>
      parseCallback(`${CB}?code=${CODE}&state=${STATE}`, { state: STATE, expected_state: STATE } as never),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('expected_state');
    expect((error as ConfigError).message).toMatch(/parseCallback: unknown option "expected_state"/);
    expectNoSecrets(error);
  });

  it("accepts authorizeUrl()'s whole result as the options (what a session often keeps)", () => {
    const pending = {
      url: 'https://platform.example/authorize?x=1',
      state: STATE,
      codeVerifier: 'v'.repeat(43),
    };
    expect(parseCallback(`${CB}?code=${CODE}&state=${STATE}`, pending)).toMatchObject({ code: CODE });
  });

  it('requires the options object', async () => {
    const error = await caught(() =>
      parseCallback(`${CB}?code=${CODE}`, undefined as unknown as { state: string }),
    );
    expect(error).toBeInstanceOf(ConfigError);
  });
});

describe('parseCallback: code', () => {
  it.each([
    ['missing', `${CB}?state=${STATE}`],
    ['empty', `${CB}?state=${STATE}&code=`],
  ])('throws RC_NO_CODE when it is %s', (_, input) => {
    const error = oauthError(input);
    expect(error.code).toBe(ErrorCodes.NO_CODE);
    expect(error.error).toBe('invalid_request');
    expectNoSecrets(error);
  });

  it('refuses a repeated code', () => {
    const error = oauthError(`${CB}?state=${STATE}&code=${CODE}&code=other-code`);
    expect(error.error).toBe('invalid_request');
    expect(error.code).toBe(ErrorCodes.OAUTH);
    expectNoSecrets(error, 'other-code');
  });
});

describe('parseCallback: input', () => {
  it.each([null, undefined, 42, {}])('refuses %j', async (input) => {
    const error = await caught(() => parseCallback(input as unknown as string, { state: STATE }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('input');
  });

  it('accepts URL-like and URLSearchParams-like objects from another realm', () => {
    const url = { href: `${CB}?code=${CODE}&state=${STATE}` };
    expect(parseCallback(url as unknown as URL, { state: STATE })).toEqual({ code: CODE });
    const params = { getAll: () => [], toString: () => `code=${CODE}&state=${STATE}` };
    expect(parseCallback(params as unknown as URLSearchParams, { state: STATE })).toEqual({ code: CODE });
  });
});

describe('timingSafeEqual', () => {
  it.each([
    ['', '', true],
    ['abc', 'abc', true],
    ['état', 'état', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['ab', 'abc', false],
    ['', 'a', false],
    ['a\u0000', 'a', false], // zero padding must not make these equal
    ['a', 'a\u0000', false],
    ['é', 'e', false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(timingSafeEqual(a, b)).toBe(equal);
  });
});
