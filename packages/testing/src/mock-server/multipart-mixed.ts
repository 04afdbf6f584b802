/** Writes RingCentral's batch reply: `207 Multi-Status`, `multipart/mixed`, CRLF line breaks (RFC 2046). */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { json, type Reply } from './http.js';

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

/** One resource of a batch read: where it lives, and what reading it alone would answer. */
export interface BatchEntry {
  href: string;
  status: number;
  body: unknown;
}

/**
 * A read of one or several resources by comma-separated ids (presence, call-log records): one id
 * answers plain JSON; several a first part `{ response: [{ href, status, responseDescription }] }`
 * then one part per id, an error body for an id that failed.
 */
export function batchReply(entries: BatchEntry[]): Reply {
  const [only] = entries;
  if (entries.length === 1 && only) return json(only.status, only.body);
  const summary = entries.map(({ href, status }) => ({
    href,
    status,
    responseDescription: STATUS_CODES[status],
  }));
  return multipartMixed([{ response: summary }, ...entries.map((e) => e.body)]);
}
