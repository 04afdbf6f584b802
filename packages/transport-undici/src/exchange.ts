// One HTTP exchange over an undici dispatcher, through its handler interface (no Node stream in
// between): the response body goes straight from the socket into a web ReadableStream, with
// backpressure (the socket is paused while the stream's queue is full).
import type { Dispatcher } from 'undici';
import { fetchFailed, terminated } from './errors.js';
import type { Outgoing } from './request.js';
import { NULL_BODY, type RawHeaders } from './response.js';

export interface ResponseHead {
  status: number;
  statusText: string;
  headers: RawHeaders;
  /** null for a bodiless status, a HEAD request, or a response whose body was drained (`drain`). */
  body: ReadableStream<Uint8Array> | null;
}

/** The stream's queue holds up to this many bytes before the socket is paused. */
const HIGH_WATER_MARK = 64 * 1024;
const STRATEGY: QueuingStrategy<Uint8Array> = {
  highWaterMark: HIGH_WATER_MARK,
  size: (chunk) => chunk.byteLength,
};

type Drain = (status: number, headers: ResponseHead['headers']) => boolean;

/**
 * Sends `out` and resolves with the response head once the headers arrived. When `drain` says so
 * for a response (a redirect being followed), its body is read and dropped, keeping the connection
 * reusable, and the promise resolves when it ended.
 */
export function exchange(dispatcher: Dispatcher, out: Outgoing, drain: Drain): Promise<ResponseHead> {
  return new Promise<ResponseHead>((resolve, reject) => {
    const { signal } = out;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const x = new Exchange(out, drain, resolve, reject);
    signal?.addEventListener('abort', x);
    try {
      dispatcher.dispatch(
        {
          origin: out.origin,
          path: out.path,
          method: out.method,
          headers: out.headers as unknown as Iterable<[string, string]>,
          body: out.body as NonNullable<Dispatcher.DispatchOptions['body']> | null,
        },
        x,
      );
    } catch (error) {
      x.fail(fetchFailed(error), terminated(error));
    }
  });
}

/**
 * The state of one exchange, in one object a request: it is undici's handler, the signal's abort
 * listener (`handleEvent`) and the response body's underlying source (`start`/`pull`/`cancel`), so
 * a request allocates no closures for them.
 */
class Exchange
  implements Dispatcher.DispatchHandler, UnderlyingDefaultSource<Uint8Array>, EventListenerObject
{
  readonly #out: Outgoing;
  readonly #drain: Drain;
  readonly #resolve: (head: ResponseHead) => void;
  readonly #reject: (reason: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  #draining: ResponseHead | undefined;
  /** The promise has settled (after the head: errors go to the body stream). */
  #settled = false;
  /** Nothing more is delivered: the body ended or failed, or the exchange was aborted. */
  #done = false;

  constructor(
    out: Outgoing,
    drain: Drain,
    resolve: (head: ResponseHead) => void,
    reject: (reason: unknown) => void,
  ) {
    this.#out = out;
    this.#drain = drain;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  #finish(): void {
    this.#done = true;
    this.#out.signal?.removeEventListener('abort', this);
  }

  /** Before the head: the promise rejects; after it: the body stream errors. */
  fail(beforeHead: unknown, inBody: unknown): void {
    if (this.#done) return;
    this.#finish();
    if (!this.#settled) {
      this.#settled = true;
      this.#reject(beforeHead);
    } else this.#stream?.error(inBody);
  }

  /** The signal aborted. */
  handleEvent(): void {
    const reason = this.#out.signal!.reason;
    this.#controller?.abort(reason);
    this.fail(reason, reason);
  }

  // undici's handler

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.#controller = c;
    const { signal } = this.#out;
    if (signal?.aborted) c.abort(signal.reason);
  }

  onResponseStart(
    c: Dispatcher.DispatchController,
    status: number,
    headers: ResponseHead['headers'],
    statusText = '',
  ): void {
    if (status < 200) return; // 1xx informational: the real answer follows
    this.#controller = c;
    if (this.#drain(status, headers)) {
      this.#draining = { status, statusText, headers, body: null };
      return;
    }
    this.#settled = true;
    if (NULL_BODY.has(status) || this.#out.method === 'HEAD') {
      this.#resolve({ status, statusText, headers, body: null });
      return;
    }
    const body = new ReadableStream<Uint8Array>(this, STRATEGY);
    this.#resolve({ status, statusText, headers, body });
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    const stream = this.#stream;
    if (!stream || this.#done) return;
    stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((stream.desiredSize ?? 1) <= 0) c.pause();
  }

  onResponseEnd(): void {
    if (this.#done) return;
    this.#finish();
    if (this.#draining) {
      this.#settled = true;
      this.#resolve(this.#draining);
    } else if (!this.#settled) {
      this.#settled = true;
      this.#reject(fetchFailed(new Error('the connection ended before a response')));
    } else this.#stream?.close();
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    const { signal } = this.#out;
    if (signal?.aborted) this.fail(signal.reason, signal.reason);
    else this.fail(fetchFailed(error), terminated(error));
  }

  // The response body's underlying source

  start(stream: ReadableStreamDefaultController<Uint8Array>): void {
    this.#stream = stream;
  }

  pull(): void {
    const c = this.#controller;
    if (c?.paused) c.resume();
  }

  cancel(reason: unknown): void {
    if (this.#done) return;
    this.#finish();
    this.#controller?.abort(reason instanceof Error ? reason : new Error('the response body was cancelled'));
  }
}
