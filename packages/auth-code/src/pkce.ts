import { ConfigError } from '@rc/core';
import { base64url } from './base64url.js';
import { randomToken, subtleCrypto } from './random.js';

/**
 * A PKCE pair (RFC 7636). Send `codeChallenge` with the authorization request; keep
 * `codeVerifier` secret, next to the `state`, until the token request.
 *
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
 */
export interface PkcePair {
  /** The secret: 43 characters of base64url (32 random bytes). Never log it. */
  codeVerifier: string;
  /** `base64url(SHA-256(codeVerifier))`, without padding. */
  codeChallenge: string;
  /** Always `S256`: the `plain` method is never used. */
  codeChallengeMethod: 'S256';
}

// RFC 7636 §4.1: code-verifier = 43*128unreserved.
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** `true` when `value` is a syntactically valid PKCE code verifier (RFC 7636 §4.1). */
export function isCodeVerifier(value: unknown): value is string {
  return typeof value === 'string' && CODE_VERIFIER.test(value);
}

/**
 * Creates a PKCE pair: a verifier of 32 bytes from Web Crypto's CSPRNG (256 bits, 43 base64url
 * characters) and its S256 challenge.
 *
 * @example
 * const { codeVerifier, codeChallenge } = await createPkce();
 */
export async function createPkce(): Promise<PkcePair> {
  const codeVerifier = randomToken(32);
  return { codeVerifier, codeChallenge: await pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}

/**
 * The S256 challenge of a code verifier: `base64url(SHA-256(ASCII(codeVerifier)))` without
 * padding (RFC 7636 §4.2). Rejects with `ConfigError` when the verifier is not 43–128 characters
 * of `A-Z a-z 0-9 - . _ ~`.
 *
 * @example
 * await pkceChallenge('dBjftJeZ4CVP-mJ0kZGpR2eOh_M3J7lq7I8NF_0KqBI');
 * // => 'E9Melhoa2OwvFrEIGG7jcg-5k4aBXbHw0t7mkCo6A4M'
 */
export async function pkceChallenge(codeVerifier: string): Promise<string> {
  if (!isCodeVerifier(codeVerifier)) {
    throw new ConfigError(
      'pkceChallenge: `codeVerifier` must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).',
      'codeVerifier',
    );
  }
  const digest = await subtleCrypto().digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}
