/**
 * The JWT credential: its shape, checked at `jwtGrant()`, and every form in which a part of it
 * could come back in a server's error text. It is a long-lived secret (RingCentral's may never
 * expire), so the grant treats it like a password: never shown, never logged, scrubbed on the way out.
 */

/** base64url characters (RFC 4648 §5), as a JWS compact serialization uses them (RFC 7515 §7.1). */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Why `value` is not a JWS compact serialization (`header.payload.signature`), or `undefined` when it is. */
export function credentialProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'contains whitespace (a line break copied with it?)';
  const parts = value.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) {
    return 'is not a JWT (three base64url segments joined by dots, as RingCentral issues them)';
  }
  return undefined;
}

const toBase64 = (segment: string): string => {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
};

const decode = (segment: string): string | undefined => {
  try {
    const binary = atob(toBase64(segment));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
    return text;
  } catch {
    return undefined; // the signature is binary: its encoded forms are covered below
  }
};

const utf8Base64 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/** The values of a decoded JSON segment's claims (one level of arrays, as `aud` may be), as text. */
function claimValues(json: string): string[] {
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return [];
  }
  if (typeof claims !== 'object' || claims === null) return [];
  return Object.values(claims)
    .flat()
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .map(String);
}

/**
 * The encoded forms of the credential a server could echo: the JWT itself (base64url, which URL
 * and form encoding leave as is), its segments in standard base64, the whole JWT in base64; and
 * the decoded forms: the header and payload JSON, and each claim's value on its own (a server may
 * quote `jti` or `sub`, or the claims re-serialized). Any run of these in a text is a part of the
 * credential. Decoded forms shorter than 6 characters are left out (`HS256`, a small `sub`): they
 * would redact ordinary words.
 */
export function credentialForms(jwt: string): { encoded: string[]; decoded: string[] } {
  const segments = jwt.split('.');
  const encoded = [jwt, segments.map(toBase64).join('.'), utf8Base64(jwt)];
  const json = segments
    .slice(0, 2)
    .map(decode)
    .filter((t): t is string => t !== undefined);
  const decoded = [...new Set([...json, ...json.flatMap(claimValues)])]
    .filter((t) => t.length >= 6)
    .sort((a, b) => b.length - a.length); // longest first: a whole JSON before the claims inside it
  return { encoded, decoded };
}
