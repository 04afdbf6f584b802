/**
 * base64url without padding (RFC 4648 §5), as PKCE (RFC 7636 appendix A) and our random tokens
 * use it. Built on `btoa`, which every browser, edge runtime and Node >= 16 provides.
 */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
