// Reads a request body as UTF-8 text, refusing it as soon as it passes the limit: a declared
// Content-Length over the limit is refused before a byte is read, and a body without one (chunked)
// is counted as it streams in, so a huge or endless body never sits in memory.

export class TooLarge extends Error {}

export async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('Content-Length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new TooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  // fatal: a body that is not UTF-8 is malformed (a 400), not silently patched.
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
