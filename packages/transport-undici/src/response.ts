// The web Response handed back. `new Response()` cannot set `url` or `redirected`, which ky and
// callers read, so a subclass carries them, also onto its clones.

export class UndiciResponse extends Response {
  readonly #url: string;
  readonly #redirected: boolean;

  constructor(body: ReadableStream<Uint8Array> | null, init: ResponseInit, url: string, redirected: boolean) {
    super(body, init);
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

/** undici's parsed headers (lower-case names, repeated ones as arrays) as web Headers. */
export function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value === 'string') headers.append(name, value);
    else for (const v of value) headers.append(name, v);
  }
  return headers;
}
