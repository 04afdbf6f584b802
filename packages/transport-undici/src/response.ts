// The web Response handed back. `new Response()` cannot set `url` or `redirected`, which ky and
// callers read, so a subclass carries them, also onto its clones.

/** undici's parsed response headers: lower-case names, a repeated header as an array. */
export type RawHeaders = Record<string, string | string[] | undefined>;

export class UndiciResponse extends Response {
  readonly #url: string;
  readonly #redirected: boolean;

  /**
   * `headers` are undici's parsed ones (lower-case names, repeated ones as arrays). They are
   * appended to the Response's own Headers: a Headers built first would be copied once more by the
   * constructor.
   */
  constructor(
    body: ReadableStream<Uint8Array> | null,
    status: number,
    statusText: string,
    headers: RawHeaders,
    url: string,
    redirected: boolean,
  ) {
    super(body, { status, statusText });
    const own = this.headers;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      if (typeof value === 'string') own.append(name, value);
      else for (const v of value) own.append(name, v);
    }
    this.#url = url;
    this.#redirected = redirected;
  }

  override get url(): string {
    return this.#url;
  }

  override get redirected(): boolean {
    return this.#redirected;
  }

  override clone(): Response {
    const copy = super.clone();
    Object.defineProperties(copy, {
      url: { value: this.#url },
      redirected: { value: this.#redirected },
    });
    return copy;
  }
}

/** Statuses whose response has no body (the Response constructor refuses one). */
export const NULL_BODY = new Set([101, 103, 204, 205, 304]);
