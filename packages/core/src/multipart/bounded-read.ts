// The one bounded read of a byte stream, for both sides of multipart: a batch reply read whole
// before it is parsed (batch/batch-get.ts), and a stream attachment read into a Blob before an
// upload body is built (message-body.ts: a stream can be sent only once, a Blob again after a
// 401). Bounded, so that a hostile reply or an endless stream cannot eat memory: past `maxBytes`
// the stream is cancelled, the rest never read. The errors are the caller's, so each side speaks
// its own terms (a malformed reply, a bad option).

/** The caller's errors for a stream it will not take. */
export interface BoundedReadErrors {
  /** The stream grew past `maxBytes`. */
  tooLong: () => Error;
  /** A chunk is neither bytes nor a string (which would otherwise be sent, or read, as 0 bytes). */
  notBytes: () => Error;
}

const encoder = new TextEncoder();

/** A chunk as bytes: a string is UTF-8 text (Node's text streams yield strings), an ArrayBuffer or any view is bytes. */
function chunkBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/**
 * Reads a stream to its end into one new array of bytes, refusing it as soon as it grows past
 * `maxBytes`, or yields a chunk that is not bytes (the stream is then cancelled). `signal` stops the
 * read: it then rejects with the signal's reason.
 */
export async function readBounded(
  body: ReadableStream<unknown> | null,
  maxBytes: number,
  errors: BoundedReadErrors,
  signal?: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  // Cancelling ends a pending read (as if done); the check after each read turns that into the reason.
  const stop = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      const bytes = chunkBytes(value);
      size += bytes?.byteLength ?? 0;
      if (bytes === undefined || size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw bytes === undefined ? errors.notBytes() : errors.tooLong();
      }
      chunks.push(bytes);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
