/** The small HTTP vocabulary the handlers share: a parsed request in, a {@link Reply} out. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A request as the handlers see it: body read, path and query split. */
export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body's bytes (uploads). */
  raw: Uint8Array;
}

/**
 * What a handler answers. Handlers only build replies; the server writes them, so latency, stats
 * and the request-id header are applied in one place.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes (content downloads). */
  body: string | Uint8Array;
  /** Reset the connection instead of answering (a simulated network error). */
  destroy?: boolean;
  /** Never answer (a hung server); the connection is closed with the server. */
  hang?: boolean;
  /** Extra delay before answering, in ms. */
  delayMs?: number;
  /** A `failNext` fault a test asked for: not checked against the description. */
  fault?: boolean;
}

/**
 * Bodies above this are refused: the mock never needs more (a fax of a few attachments), and a
 * runaway client should not eat memory.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    // JSON is UTF-8 by definition (RFC 8259): no charset parameter, as RingCentral sends it.
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body };
}

export function redirect(location: string): Reply {
  // no-store: a redirect carrying an authorization code must not be cached (RFC 6749 §5.1 spirit).
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}

/** `true` when the request body is `application/x-www-form-urlencoded` (charset parameters allowed). */
export function isForm(req: MockRequest): boolean {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}

/**
 * Parses a form body into a map; `undefined` when a field appears twice (RingCentral refuses
 * duplicated parameters rather than guessing which one was meant).
 */
export function parseForm(body: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) {
    if (out.has(k)) return undefined;
    out.set(k, v);
  }
  return out;
}

/** Decodes `Authorization: Basic base64(id:secret)`; `null` when absent, `'malformed'` when unreadable. */
export function parseBasicAuth(req: MockRequest): { id: string; secret: string } | null | 'malformed' {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return /^Basic\b/i.test(header) ? 'malformed' : null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  // RFC 6749 §2.3.1: the id and secret are form-encoded before Base64.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return 'malformed';
  }
}

/** The bearer token of the request, or `undefined`. */
export function bearerToken(req: MockRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** A JSON object body, or `undefined` when the body is not one (an empty body is `{}`). */
export function objectBody(req: MockRequest): Record<string, unknown> | undefined {
  if (req.body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(req.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
