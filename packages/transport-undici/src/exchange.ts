// One HTTP exchange over an undici dispatcher, through its handler interface (no Node stream in
// between): the response body goes straight from the socket into a web ReadableStream, with
// backpressure (the socket is paused while the stream's queue is full).
import type { Dispatcher } from 'undici';
import { fetchFailed, terminated } from './errors.js';
import type { Outgoing } from './request.js';
import { NULL_BODY } from './response.js';

export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  /** null for a bodiless status, a HEAD request, or a response whose body was drained (`drain`). */
  body: ReadableStream<Uint8Array> | null;
}

/** The stream's queue holds up to this many bytes before the socket is paused. */
const HIGH_WATER_MARK = 64 * 1024;
const byteLength = (chunk: Uint8Array) => chunk.byteLength;

/**
 * Sends `out` and resolves with the response head once the headers arrived. When `drain` says so
 * for a response (a redirect being followed), its body is read and dropped, keeping the connection
 * reusable, and the promise resolves when it ended.
 */
export function exchange(
  dispatcher: Dispatcher,
  out: Outgoing,
  drain: (status: number, headers: ResponseHead['headers']) => boolean,
): Promise<ResponseHead> {
  return new Promise<ResponseHead>((resolve, reject) => {
    const { signal } = out;
    let controller: Dispatcher.DispatchController | undefined;
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    let draining: ResponseHead | undefined;
    let settled = false;
    let done = false;

    const finish = () => {
      done = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      const reason = signal!.reason;
      controller?.abort(reason);
      fail(reason, reason);
    };
    // Before the head: the promise rejects; after it: the body stream errors.
    const fail = (beforeHead: unknown, inBody: unknown) => {
      if (done) return;
      finish();
      if (!settled) {
        settled = true;
        reject(beforeHead);
      } else stream?.error(inBody);
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(signal.reason);
      },
      onResponseStart(c, status, headers, statusText = '') {
        if (status < 200) return; // 1xx informational: the real answer follows
        if (drain(status, headers)) {
          draining = { status, statusText, headers, body: null };
          return;
        }
        settled = true;
        if (NULL_BODY.has(status) || out.method === 'HEAD') {
          resolve({ status, statusText, headers, body: null });
          return;
        }
        const body = new ReadableStream<Uint8Array>(
          {
            start(s) {
              stream = s;
            },
            pull() {
              if (c.paused) c.resume();
            },
            cancel(reason) {
              if (done) return;
              finish();
              c.abort(reason instanceof Error ? reason : new Error('the response body was cancelled'));
            },
          },
          { highWaterMark: HIGH_WATER_MARK, size: byteLength },
        );
        resolve({ status, statusText, headers, body });
      },
      onResponseData(c, chunk) {
        if (!stream || done) return;
        stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((stream.desiredSize ?? 1) <= 0) c.pause();
      },
      onResponseEnd() {
        if (done) return;
        finish();
        if (draining) {
          settled = true;
          resolve(draining);
        } else if (!settled) {
          settled = true;
          reject(fetchFailed(new Error('the connection ended before a response')));
        } else stream?.close();
      },
      onResponseError(_c, error) {
        if (signal?.aborted) fail(signal.reason, signal.reason);
        else fail(fetchFailed(error), terminated(error));
      },
    };

    if (signal) {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      dispatcher.dispatch(
        {
          origin: out.url.origin,
          path: out.url.pathname + out.url.search,
          method: out.method,
          headers: out.headers as unknown as Iterable<[string, string]>,
          body: out.body as NonNullable<Dispatcher.DispatchOptions['body']> | null,
        },
        handler,
      );
    } catch (error) {
      fail(fetchFailed(error), terminated(error));
    }
  });
}
