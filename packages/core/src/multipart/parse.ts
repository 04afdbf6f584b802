// The one reader of MIME multipart bodies (RFC 2046 §5.1), used for RingCentral's batch replies
// (`multipart/mixed`) and by the mock server for uploads (`multipart/form-data`); its writing side
// is message-body.ts, and the bounded read of a stream both need is bounded-read.ts. It is strict:
// the boundary must come from the Content-Type, every delimiter must start a line, the body must
// end with the close delimiter, and each part needs a header block. It is bounded: the body and
// the number of parts have limits, so a hostile or broken reply cannot eat memory. It never
// throws anything but `MultipartError`, whose message quotes nothing from the body.

/** One part: its headers (lower-cased names) and its bytes. */
export interface MultipartPart {
  /** The part's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The part's body bytes. */
  readonly body: Uint8Array;
}

/** Bounds on what the multipart reader accepts, so a hostile or broken reply cannot exhaust memory. */
export interface MultipartLimits {
  /** Most parts accepted. @default 1000 */
  maxParts?: number;
  /** Most bytes of a whole body. @default 16 MiB */
  maxBytes?: number;
}

export const DEFAULT_MULTIPART_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_PARTS = 1000;
const MAX_HEADER_BYTES = 8 * 1024;

/** A body that is not the multipart it claims to be. The message says what is wrong, never what was sent. */
export class MultipartError extends Error {
  /** Always `'MultipartError'`. */
  override name = 'MultipartError';
}

// RFC 2046: 1 to 70 characters of bcharsnospace and space, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The boundary of a `multipart/*` Content-Type, or `undefined` when the type is not multipart or has none. */
export function multipartBoundary(contentType: string | null | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/[a-z0-9.+-]+\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary !== undefined && BOUNDARY.test(boundary) ? boundary : undefined;
}

const CR = 13;
const LF = 10;
const DASH = 45;
const latin1 = new TextDecoder('latin1');

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] ?? 0;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** Length of the line break at `i` (CRLF, or a bare LF as some servers send), else 0. */
const lineBreak = (b: Uint8Array, i: number) => (b[i] === CR && b[i + 1] === LF ? 2 : b[i] === LF ? 1 : 0);

/** Skips transport padding (spaces and tabs) after a delimiter, then requires a line break. */
function afterDelimiter(b: Uint8Array, i: number): number {
  let j = i;
  while (b[j] === 32 || b[j] === 9) j++;
  const br = lineBreak(b, j);
  if (br === 0) throw new MultipartError('a boundary delimiter is not followed by a line break');
  return j + br;
}

function parseHeaders(block: Uint8Array): Record<string, string> {
  if (block.length > MAX_HEADER_BYTES) throw new MultipartError('a part has too many header bytes');
  const headers: Record<string, string> = {};
  for (const line of latin1.decode(block).split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon)))
      throw new MultipartError('a part has a malformed header line');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Splits a multipart body into its parts.
 *
 * @throws MultipartError when the body is too large, has too many parts, lacks the opening or the
 * closing delimiter, or has a part without a header block.
 * @see https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
 */
export function parseMultipart(
  body: Uint8Array,
  boundary: string,
  limits: MultipartLimits = {},
): MultipartPart[] {
  const maxBytes = limits.maxBytes ?? DEFAULT_MULTIPART_MAX_BYTES;
  const maxParts = limits.maxParts ?? DEFAULT_MAX_PARTS;
  if (!BOUNDARY.test(boundary)) throw new MultipartError('the boundary is not a valid RFC 2046 boundary');
  if (body.length > maxBytes) throw new MultipartError(`the body exceeds ${maxBytes} bytes`);
  const dash = new TextEncoder().encode(`--${boundary}`);

  // The first delimiter: at the very start, or after a preamble at the start of a line.
  let at = indexOf(body, dash, 0);
  while (at > 0 && body[at - 1] !== LF) at = indexOf(body, dash, at + 1);
  if (at === -1) throw new MultipartError('the body has no opening boundary delimiter');
  let cursor = at + dash.length;
  if (body[cursor] === DASH && body[cursor + 1] === DASH) throw new MultipartError('the body has no parts');
  cursor = afterDelimiter(body, cursor);

  const parts: MultipartPart[] = [];
  for (;;) {
    // The next delimiter must start a line; the line break before it belongs to the delimiter.
    let next = indexOf(body, dash, cursor);
    while (next !== -1 && body[next - 1] !== LF) next = indexOf(body, dash, next + 1);
    if (next === -1) throw new MultipartError('the body ends without a closing boundary delimiter');
    const end = next - (body[next - 2] === CR ? 2 : 1);
    if (end < cursor) throw new MultipartError('a part has no header block');
    parts.push(splitPart(body.subarray(cursor, end)));
    if (parts.length > maxParts) throw new MultipartError(`the body has more than ${maxParts} parts`);
    cursor = next + dash.length;
    if (body[cursor] === DASH && body[cursor + 1] === DASH) return parts; // the epilogue is ignored
    cursor = afterDelimiter(body, cursor);
  }
}

/** Headers end at the first empty line; a part without headers starts with that empty line. */
function splitPart(part: Uint8Array): MultipartPart {
  const lead = lineBreak(part, 0);
  if (lead > 0) return { headers: {}, body: part.slice(lead) };
  for (let i = part.indexOf(LF); i !== -1; i = part.indexOf(LF, i + 1)) {
    const br = lineBreak(part, i + 1);
    if (br > 0) return { headers: parseHeaders(part.subarray(0, i + 1)), body: part.slice(i + 1 + br) };
  }
  throw new MultipartError('a part has no header block');
}
