import { ConfigError, ErrorCodes, OAuthError } from '@rc/core';
import { timingSafeEqual } from '@rc/core/kit';
import { checkOptions } from './checks.js';

/** Options of {@link parseCallback}. */
export interface ParseCallbackOptions {
  /**
   * The `state` returned by `authorizeUrl()` for this flow, kept server-side (e.g. in the
   * session) until the user comes back. Required: without it the callback cannot be trusted.
   *
   * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
   */
  state: string;
}

/** What {@link parseCallback} returns on success. */
export interface CallbackResult {
  /** The authorization code, single-use: pass it to `authCodeGrant()`. A secret. */
  code: string;
}

/** What {@link parseCallback} reads: a URL, a URL string, a path with query (`req.url`), a query string, or params. */
export type CallbackInput = string | URL | URLSearchParams;

const FN = 'parseCallback';
// RFC 6749 §4.1.2.1: `error` and `error_description` are printable ASCII without `"` and `\`.
const UNSAFE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

/**
 * Reads the authorization callback (the request to the redirect URI) and returns its `code`, or
 * throws `OAuthError`. The checks, in this order:
 *
 * 1. `state` missing, repeated or not equal to `options.state` → `code: 'RC_STATE_MISMATCH'`,
 *    `error: 'state_mismatch'`. This comes first, even when the callback reports an error: an
 *    error whose state cannot be verified may be forged (anyone can send a user to the redirect
 *    URI), so it is not reported as the provider's. The comparison does not stop at the first
 *    differing character.
 * 2. `error` present (e.g. `access_denied`: the user declined) → `error` and `errorDescription`
 *    from the callback, `code: 'RC_OAUTH'`.
 * 3. `code` missing or empty → `code: 'RC_NO_CODE'`, `error: 'invalid_request'`.
 *
 * Parameters are read from the query, or from the fragment when the query is empty. No message,
 * field or `JSON.stringify` of these errors holds the code or the state.
 *
 * @example
 * const { code } = parseCallback(req.url, { state: session.oauth.state });
 * await rc.authorize(authCodeGrant({ code, codeVerifier: session.oauth.codeVerifier }));
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
 */
export function parseCallback(input: CallbackInput, options: ParseCallbackOptions): CallbackResult {
  const expected: unknown = (options as Partial<ParseCallbackOptions> | undefined)?.state;
  if (typeof expected !== 'string' || expected === '') {
    throw new ConfigError(
      `${FN}: the expected \`state\` (from authorizeUrl(), kept in the session) must be a non-empty string.`,
      'state',
    );
  }
  // authorizeUrl()'s whole result may be handed over as it was kept: its other fields are fine here.
  checkOptions(options, ['state', 'url', 'codeVerifier'], FN);
  const params = readParams(input);

  const states = params.getAll('state');
  const error = params.get('error');
  if (states.length !== 1 || !timingSafeEqual(states[0] as string, expected)) {
    const why =
      states.length === 0
        ? 'The authorization callback carried no state.'
        : states.length > 1
          ? 'The authorization callback carried more than one state.'
          : 'The state of the authorization callback does not match the one this flow started with.';
    const reported = error ? ` It also reported error "${clean(error, 64)}", ignored as unverified.` : '';
    throw new OAuthError({
      error: 'state_mismatch',
      errorDescription: `${why}${reported} The callback may be forged (CSRF), replayed, or belong to another login attempt: start the login again.`,
      code: ErrorCodes.STATE_MISMATCH,
    });
  }

  if (error !== null) {
    const description = params.get('error_description');
    throw new OAuthError({
      error: clean(error, 64) || 'invalid_request',
      ...(description ? { errorDescription: clean(description, 300) } : {}),
    });
  }

  const codes = params.getAll('code');
  if (codes.length === 0 || codes[0] === '') {
    throw new OAuthError({
      error: 'invalid_request',
      errorDescription: 'The authorization callback carried no code.',
      code: ErrorCodes.NO_CODE,
    });
  }
  if (codes.length > 1) {
    throw new OAuthError({
      error: 'invalid_request',
      errorDescription: 'The authorization callback carried more than one code.',
    });
  }
  return { code: codes[0] as string };
}

function readParams(input: unknown): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return paramsOfUrl(input);
  if (typeof input === 'string') {
    const url = parseUrl(input);
    return url ? paramsOfUrl(url) : new URLSearchParams(input.replace(/^[?#]/, ''));
  }
  // Another realm's URL or URLSearchParams (jsdom, an iframe): by shape.
  if (typeof input === 'object' && input !== null) {
    const value = input as { href?: unknown; getAll?: unknown; toString(): string };
    if (typeof value.href === 'string') return paramsOfUrl(new URL(value.href));
    if (typeof value.getAll === 'function') return new URLSearchParams(value.toString());
  }
  throw new ConfigError(
    `${FN}: the callback must be a URL, a URL string, a path with its query, a query string, or URLSearchParams.`,
    'input',
  );
}

/** An absolute URL, or a path such as Node's `req.url`; `undefined` for a bare query string. */
function parseUrl(input: string): URL | undefined {
  try {
    return new URL(input);
  } catch {
    if (!input.startsWith('/')) return undefined;
  }
  try {
    return new URL(input, 'http://callback.invalid');
  } catch {
    return undefined;
  }
}

function paramsOfUrl(url: URL): URLSearchParams {
  return url.search.length > 1 ? url.searchParams : new URLSearchParams(url.hash.slice(1));
}

/** Provider-supplied text as it may appear in a message: RFC 6749's character set, bounded. */
function clean(text: string, max: number): string {
  const safe = text.replace(UNSAFE, '?');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
