import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An opaque random token (access, refresh, code): 32 random bytes, base64url, like RingCentral's opaque tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The PKCE S256 transform (RFC 7636 §4.2): base64url(sha256(verifier)) without padding. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Constant-time string comparison for secrets (client secret, password, PKCE challenge). Hashing
 * first gives equal-length buffers, so the length of the secret does not leak either.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
