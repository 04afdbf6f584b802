import { ConfigError } from '@rc/core';
import { base64url } from './base64url.js';

/** Web Crypto of this runtime (`globalThis.crypto`); a clear error where there is none. */
export function webCrypto(): Crypto {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.getRandomValues !== 'function') {
    throw new ConfigError(
      'Web Crypto (globalThis.crypto) is not available in this runtime: @rc/auth-code needs it for state and PKCE.',
    );
  }
  return crypto;
}

/** `crypto.subtle`, which browsers expose only in secure contexts (https, or http on localhost). */
export function subtleCrypto(): SubtleCrypto {
  const subtle = webCrypto().subtle as SubtleCrypto | undefined;
  if (subtle === undefined) {
    throw new ConfigError(
      'crypto.subtle is not available: browsers expose it only in secure contexts (https, or http on localhost). PKCE needs SHA-256.',
    );
  }
  return subtle;
}

/** `byteLength` bytes from the runtime's CSPRNG, base64url-encoded without padding. */
export function randomToken(byteLength: number): string {
  return base64url(webCrypto().getRandomValues(new Uint8Array(byteLength)));
}
