/** Writes RingCentral's batch reply: `207 Multi-Status`, `multipart/mixed`, CRLF line breaks (RFC 2046). */
import { randomBytes } from 'node:crypto';
import type { Reply } from './http.js';

/** One part: its JSON body. */
export function multipartMixed(parts: unknown[], headers: Record<string, string> = {}): Reply {
  // RingCentral's boundaries look like `Boundary_20_32057915_1351669531796`.
  const boundary = `Boundary_${randomBytes(6).toString('hex')}_${Date.now()}`;
  const body = parts
    .map((p) => `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(p, null, 2)}\r\n`)
    .join('');
  return {
    status: 207,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}`, ...headers },
    body: `${body}--${boundary}--\r\n`,
  };
}
