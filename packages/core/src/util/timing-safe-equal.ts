// The one copy of a timing-safe string compare: auth-code checks the OAuth `state` with it, webhooks
// the verification token.
const encoder = new TextEncoder();

/**
 * Compares two strings without returning early at the first differing byte: both are encoded as
 * UTF-8, padded with zeros to the longer length, and XORed byte by byte; the length difference is
 * folded into the result. JavaScript gives no hard guarantee of constant time, so this is
 * best-effort: it removes the obvious timing signal of `===`.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const bytesA = encoder.encode(a);
  const bytesB = encoder.encode(b);
  const length = Math.max(bytesA.length, bytesB.length);
  const x = new Uint8Array(length);
  const y = new Uint8Array(length);
  x.set(bytesA);
  y.set(bytesB);
  let diff = bytesA.length ^ bytesB.length;
  for (let i = 0; i < length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}
