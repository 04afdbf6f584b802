// Turns fetch()'s arguments into what one dispatch needs. ky always passes a Request it built, and
// that is read as it is (no second Request). Anything else goes through `new Request(input, init)`,
// so every body type, header form and option is normalised exactly as the global fetch does it.

/** What a send needs, read once from the caller's Request. */
export interface Outgoing {
  /** The serialized URL (what `Response.url` reports). */
  href: string;
  /** What dispatch() takes: the origin, and the path with the query (no fragment). */
  origin: string;
  path: string;
  method: string;
  headers: Headers;
  /** The request body: bytes (sent with a Content-Length), a stream (chunked), or none. */
  body: Uint8Array | AsyncIterable<Uint8Array> | null;
  /** Whether `body` can be sent again (for a 307/308 redirect): bytes can, a stream cannot. */
  replayable: boolean;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
}

// RequestInit fields that change the request: with any of them, `new Request(input, init)` decides.
// `headers` is not among them: `new Request(request, { headers })` replaces the headers wholesale
// (Fetch standard), so a Request plus new headers is read as the Request with those headers, with
// no second Request built. That is what core's auth sends on every request (the token goes in
// `init.headers`, never on ky's Request), so this is the hot path.
const REQUEST_FIELDS = [
  'method',
  'body',
  'signal',
  'redirect',
  'referrer',
  'referrerPolicy',
  'mode',
  'credentials',
  'cache',
  'integrity',
  'keepalive',
  'window',
  'duplex',
  'priority',
] as const;

const changesRequest = (init: RequestInit | undefined): boolean =>
  init !== undefined && REQUEST_FIELDS.some((k) => (init as Record<string, unknown>)[k] !== undefined);

/**
 * What to send for fetch()'s arguments: at once for a request without a body (what REST GETs are),
 * else once the body's first chunks were read (see readBody). Throws what `new Request()` throws.
 */
export function outgoing(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Outgoing | Promise<Outgoing> {
  const reuse = input instanceof Request && !changesRequest(init);
  const request = reuse ? input : new Request(input, init);
  const given = reuse ? init?.headers : undefined;
  const headers =
    given === undefined ? request.headers : given instanceof Headers ? given : new Headers(given);
  const href = request.url;
  const out: Outgoing = {
    href,
    ...target(href),
    method: request.method,
    headers,
    body: null,
    replayable: true,
    signal: request.signal,
    redirect: request.redirect,
  };
  const stream = request.body;
  if (!stream) return out;
  return readBody(stream).then(({ body, replayable }) => {
    out.body = body;
    out.replayable = replayable;
    return out;
  });
}

/**
 * The origin and the path (with the query, without the fragment) of a serialized URL, as
 * `url.origin` and `url.pathname + url.search` give them. An http(s)
 * one is `scheme://host[:port]/path[?query][#fragment]` (its host holds no '/' and its path starts
 * with one), so it is cut, not parsed; any other goes through URL.
 */
export function target(href: string): { origin: string; path: string } {
  const start = href.startsWith('https://') ? 8 : href.startsWith('http://') ? 7 : -1;
  const slash = start === -1 ? -1 : href.indexOf('/', start);
  if (slash === -1) {
    const url = new URL(href);
    return { origin: url.origin, path: url.pathname + url.search };
  }
  const hash = href.indexOf('#', slash);
  let path = hash === -1 ? href.slice(slash) : href.slice(slash, hash);
  // An empty query ('/x?') is no query, as in URL.search (and what the global fetch sends).
  if (path.indexOf('?') === path.length - 1) path = path.slice(0, -1);
  return { origin: href.slice(0, slash), path };
}

/**
 * A body that arrives in one chunk (what a string, URLSearchParams, JSON or Blob body gives) is sent
 * as bytes with a Content-Length, as the global fetch sends those. A longer one is streamed
 * (chunked): the chunks read so far, then the rest as it comes, never buffered whole.
 */
async function readBody(stream: ReadableStream<Uint8Array>): Promise<Pick<Outgoing, 'body' | 'replayable'>> {
  const reader = stream.getReader();
  const first = await reader.read();
  if (first.done) return { body: null, replayable: true };
  const second = await reader.read();
  if (second.done) {
    reader.releaseLock();
    return { body: first.value, replayable: true };
  }
  return { body: rest(reader, [first.value, second.value]), replayable: false };
}

async function* rest(reader: ReadableStreamDefaultReader<Uint8Array>, head: Uint8Array[]) {
  try {
    yield* head;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
