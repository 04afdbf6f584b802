// Turns fetch()'s arguments into what one dispatch needs. ky always passes a Request it built, and
// that is read as it is (no second Request). Anything else goes through `new Request(input, init)`,
// so every body type, header form and option is normalised exactly as the global fetch does it.

/** What a send needs, read once from the caller's Request. */
export interface Outgoing {
  url: URL;
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

export async function outgoing(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Outgoing> {
  const reuse = input instanceof Request && !changesRequest(init);
  const request = reuse ? input : new Request(input, init);
  const given = reuse ? init?.headers : undefined;
  const headers =
    given === undefined ? request.headers : given instanceof Headers ? given : new Headers(given);
  const { body, replayable } = request.body ? await readBody(request.body) : { body: null, replayable: true };
  return {
    url: new URL(request.url),
    method: request.method,
    headers,
    body,
    replayable,
    signal: request.signal,
    redirect: request.redirect,
  };
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
