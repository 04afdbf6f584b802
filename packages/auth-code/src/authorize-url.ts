import { ConfigError } from '@rc/core';
import { type ClientLike, checkOptions, checkRedirectUri, clientInfoOf, show } from './checks.js';
import { createPkce } from './pkce.js';
import { randomToken } from './random.js';

/** How RingCentral's login page is shown: `page`, `popup`, `touch` or `mobile`. */
export type Display = 'page' | 'popup' | 'touch' | 'mobile';

/** What the login page asks of the user: `login`, `sso`, `consent`, or `none` (alone). */
export type Prompt = 'login' | 'sso' | 'consent' | 'none';

/**
 * Options of {@link authorizeUrl}. Each is checked at the call; a bad one rejects with
 * `ConfigError` naming it.
 *
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
 */
export interface AuthorizeUrlOptions {
  /**
   * Where RingCentral sends the user back (`redirect_uri`). It must be an absolute http(s) URL
   * without a fragment, registered for the app, and the same one later given to the token request.
   *
   * @default the client's `redirectUri` (from `createClient()`); a ConfigError when neither is set.
   */
  redirectUri?: string | undefined;
  /**
   * The anti-CSRF `state`, returned unchanged on the callback and checked by `parseCallback()`.
   * When given it must be a non-empty string of URL-safe characters `A-Z a-z 0-9 - . _ ~`, and it
   * should carry at least 128 bits of randomness and be used once.
   *
   * @default 32 random bytes from Web Crypto, base64url (43 characters, 256 bits)
   */
  state?: string | undefined;
  /**
   * How the login page is laid out (`display`): `page`, `popup`, `touch` or `mobile`.
   *
   * @default not sent (RingCentral shows `page`)
   */
  display?: Display | undefined;
  /**
   * What the login page must ask (`prompt`): one value, an array, or a space-separated string of
   * `login`, `sso`, `consent`, `none`. Duplicates are dropped; `none` (no UI at all) cannot be
   * combined with another value (OpenID Connect Core §3.1.2.1).
   *
   * @default not sent (RingCentral decides)
   * @example prompt: ['login', 'consent']
   */
  prompt?: Prompt | readonly Prompt[] | undefined;
  /**
   * The RingCentral brand whose login page is shown (`brand_id`): digits, as a string or a
   * non-negative integer.
   *
   * @default not sent (the app's brand)
   * @example brandId: 1210
   */
  brandId?: string | number | undefined;
  /**
   * The preferred languages of the login page (`ui_locales`): BCP 47 tags, as an array or a
   * space-separated string, most preferred first.
   *
   * @default not sent (the browser's language)
   * @example uiLocales: ['fr-CA', 'en-US']
   */
  uiLocales?: string | readonly string[] | undefined;
  /**
   * Pre-fills the login field (`login_hint`): the user's phone number or email. Personal data:
   * it is never put into an error message.
   *
   * @default not sent
   */
  loginHint?: string | undefined;
  /**
   * Adds PKCE (`code_challenge`, `code_challenge_method=S256`) and returns the `codeVerifier` to
   * pass to `authCodeGrant()`. On for every client: RFC 9700 recommends it for confidential
   * clients too, since without it an injected authorization code is caught only by the state
   * check. RingCentral requires it for clients without a secret, so a public client cannot turn it
   * off (ConfigError); a confidential client may opt out with `pkce: false` (e.g. an app whose
   * callback cannot carry the verifier), relying on `state` alone.
   *
   * @default true
   * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
   * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
   */
  pkce?: boolean | undefined;
}

/** What {@link authorizeUrl} resolves to. Keep `state` and `codeVerifier` server-side (session). */
export interface AuthorizeUrlResult {
  /** The authorization URL to send the user's browser to. */
  url: string;
  /** The state sent: give it to `parseCallback()` when the user comes back. */
  state: string;
  /** The PKCE verifier, when PKCE is on: give it to `authCodeGrant()`. A secret. */
  codeVerifier?: string;
}

const FN = 'authorizeUrl';
const OPTIONS = ['redirectUri', 'state', 'display', 'prompt', 'brandId', 'uiLocales', 'loginHint', 'pkce'];
const DISPLAYS: readonly string[] = ['page', 'popup', 'touch', 'mobile'] satisfies Display[];
const PROMPTS: readonly string[] = ['login', 'sso', 'consent', 'none'] satisfies Prompt[];
const STATE = /^[A-Za-z0-9._~-]+$/;
// BCP 47, syntax only: a 2–8 letter language subtag, then 1–8 character alphanumeric subtags.
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const CONTROL = /\p{Cc}/u;

/**
 * Builds the URL of RingCentral's authorization page (`/restapi/oauth/authorize`) for the
 * authorization-code flow, with a fresh `state` and PKCE (S256; `pkce: false` opts a confidential client out).
 *
 * @param client An `RcClient`, or its `ClientInfo` (`server`, `clientId`, `redirectUri`, `confidential`).
 * @example
 * const { url, state, codeVerifier } = await authorizeUrl(rc, { prompt: 'login' });
 * session.oauth = { state, codeVerifier }; // then redirect the browser to `url`
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
 */
export async function authorizeUrl(
  client: ClientLike,
  options: AuthorizeUrlOptions = {},
): Promise<AuthorizeUrlResult> {
  const info = clientInfoOf(client, FN);
  checkOptions(options, OPTIONS, FN);

  const redirectUri = options.redirectUri ?? info.redirectUri;
  if (redirectUri === undefined) {
    throw new ConfigError(
      `${FN}: no redirect URI: pass \`redirectUri\`, or give one to createClient().`,
      'redirectUri',
    );
  }
  checkRedirectUri(redirectUri, FN);
  const state = options.state === undefined ? randomToken(32) : checkState(options.state);
  const display = options.display === undefined ? undefined : checkDisplay(options.display);
  const prompt = options.prompt === undefined ? undefined : promptParam(options.prompt);
  const brandId = options.brandId === undefined ? undefined : brandParam(options.brandId);
  const uiLocales = options.uiLocales === undefined ? undefined : localesParam(options.uiLocales);
  const loginHint = options.loginHint === undefined ? undefined : checkLoginHint(options.loginHint);
  const pkce = usePkce(options.pkce, info.confidential === true);

  // Wire names live here only.
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: info.clientId,
    redirect_uri: redirectUri,
    state,
  });
  if (display !== undefined) query.set('display', display);
  if (prompt !== undefined) query.set('prompt', prompt);
  if (brandId !== undefined) query.set('brand_id', brandId);
  if (uiLocales !== undefined) query.set('ui_locales', uiLocales);
  if (loginHint !== undefined) query.set('login_hint', loginHint);
  const pair = pkce ? await createPkce() : undefined;
  if (pair !== undefined) {
    query.set('code_challenge', pair.codeChallenge);
    query.set('code_challenge_method', pair.codeChallengeMethod);
  }

  // Spaces as %20 rather than '+': both decode to a space, but %20 also does under plain RFC 3986
  // decoding. A literal '+' in a value is already %2B.
  const url = `${info.server.replace(/\/+$/, '')}/restapi/oauth/authorize?${query.toString().replace(/\+/g, '%20')}`;
  return pair === undefined ? { url, state } : { url, state, codeVerifier: pair.codeVerifier };
}

function checkState(value: unknown): string {
  // The value itself is never shown: it is the CSRF secret of this flow.
  if (typeof value !== 'string' || !STATE.test(value)) {
    throw new ConfigError(
      `${FN}: \`state\` must be a non-empty string of A-Z a-z 0-9 - . _ ~ (omit it to get a random one).`,
      'state',
    );
  }
  return value;
}

function checkDisplay(value: unknown): string {
  if (typeof value !== 'string' || !DISPLAYS.includes(value)) {
    throw new ConfigError(
      `${FN}: \`display\` must be one of ${DISPLAYS.join(', ')}; got ${show(value)}.`,
      'display',
    );
  }
  return value;
}

/** A string (space-separated) or an array of strings, as a non-empty list. */
function listOf(value: unknown, option: string): string[] {
  const list = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(
      `${FN}: \`${option}\` must be a non-empty string or array; got ${show(value)}.`,
      option,
    );
  }
  return list as string[];
}

function promptParam(value: unknown): string {
  const prompts = [...new Set(listOf(value, 'prompt'))];
  for (const prompt of prompts) {
    if (typeof prompt !== 'string' || !PROMPTS.includes(prompt)) {
      throw new ConfigError(
        `${FN}: \`prompt\` values must be ${PROMPTS.join(', ')}; got ${show(prompt)}.`,
        'prompt',
      );
    }
  }
  if (prompts.includes('none') && prompts.length > 1) {
    throw new ConfigError(
      `${FN}: \`prompt\` "none" (no login UI at all) cannot be combined with other values (OpenID Connect Core §3.1.2.1).`,
      'prompt',
    );
  }
  return prompts.join(' ');
}

function brandParam(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return value;
  throw new ConfigError(
    `${FN}: \`brandId\` must be digits (a string or a non-negative integer); got ${show(value)}.`,
    'brandId',
  );
}

function localesParam(value: unknown): string {
  const tags = [...new Set(listOf(value, 'uiLocales'))];
  for (const tag of tags) {
    if (typeof tag !== 'string' || !LANGUAGE_TAG.test(tag)) {
      throw new ConfigError(
        `${FN}: \`uiLocales\` must hold BCP 47 language tags such as "en-US"; got ${show(tag)}.`,
        'uiLocales',
      );
    }
  }
  return tags.join(' ');
}

function checkLoginHint(value: unknown): string {
  // Personal data (a phone number or an email): never echoed.
  if (typeof value !== 'string' || value.trim() === '' || CONTROL.test(value)) {
    throw new ConfigError(
      `${FN}: \`loginHint\` must be a non-empty string without control characters.`,
      'loginHint',
    );
  }
  return value;
}

function usePkce(value: unknown, confidential: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigError(`${FN}: \`pkce\` must be a boolean; got ${show(value)}.`, 'pkce');
  }
  if (value === false && !confidential) {
    throw new ConfigError(
      `${FN}: \`pkce: false\` is refused for a client without a secret: RingCentral requires PKCE for public clients.`,
      'pkce',
    );
  }
  return value ?? true;
}
