import { SubscriptionError } from './errors.js';
import type { WebSocketConstructor, WebSocketLike } from './options.js';
import type { KnownSecrets } from './secrets.js';
import {
  type ConnectionDetails,
  type Frame,
  heartbeatFrame,
  parseFrame,
  requestFrame,
  type Wsc,
} from './wire.js';

// One WebSocket connection to the gateway: opening it (until ConnectionDetails), requests over it
// matched by messageId, heartbeats, and noticing that it died. Every way it ends (server close,
// network error, missed heartbeat, our own close()) goes through #end(), which clears every timer
// and listener, so a closed connection leaves nothing behind. What to do next is the caller's.

export interface ConnectionSettings {
  WebSocket: WebSocketConstructor;
  url: string;
  /** The URL with its tokens redacted: the only form that may appear in an error. */
  safeUrl: string;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  requestTimeoutMs: number;
  /** What the gateway's text (error frames, close reasons) is scrubbed of. */
  secrets: KnownSecrets;
  /** Aborting it abandons the attempt: the socket is closed and open() rejects at once. */
  signal?: AbortSignal | undefined;
}

export interface ConnectionHandlers {
  /** Every frame after ConnectionDetails, in order (request replies included). */
  frame(frame: Frame): void;
  /** The connection ended, other than by close(). Called once. */
  lost(reason: SubscriptionError): void;
}

interface Pending {
  resolve(reply: { status: number; body: unknown }): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

const abortError = (signal: AbortSignal | undefined): SubscriptionError =>
  signal?.reason instanceof SubscriptionError
    ? signal.reason
    : new SubscriptionError('The connection attempt was aborted');

let counter = 0;
const newMessageId = () =>
  `${Date.now().toString(36)}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export class Connection {
  readonly #ws: WebSocketLike;
  readonly #s: ConnectionSettings;
  readonly #pending = new Map<string, Pending>();
  #handlers: ConnectionHandlers | undefined;
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #ended = false;
  #opened:
    | { resolve(v: { details: ConnectionDetails; wsc: Wsc | undefined }): void; reject(e: unknown): void }
    | undefined;
  #early: Frame[] = [];

  private constructor(settings: ConnectionSettings) {
    this.#s = settings;
    this.#ws = new settings.WebSocket(settings.url);
    this.#ws.addEventListener('message', this.#onMessage);
    this.#ws.addEventListener('close', this.#onClose);
    this.#ws.addEventListener('error', this.#onError);
  }

  /**
   * Connects and resolves with the gateway's ConnectionDetails once they arrive (the connection is
   * usable only then). Rejects with SubscriptionError on a refusal, a close or the deadline.
   */
  static open(
    settings: ConnectionSettings,
  ): Promise<{ connection: Connection; details: ConnectionDetails; wsc: Wsc | undefined }> {
    const { signal } = settings;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const connection = new Connection(settings);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.#fail(
          new SubscriptionError(
            `No ConnectionDetails from ${settings.safeUrl} within ${settings.connectTimeoutMs} ms`,
          ),
        );
      }, settings.connectTimeoutMs);
      const onAbort = () => connection.#fail(abortError(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settled = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      connection.#opened = {
        resolve: (v) => {
          settled();
          resolve({ connection, ...v });
        },
        reject: (e) => {
          settled();
          reject(e);
        },
      };
    });
  }

  /** Starts delivering frames (and those that came right after ConnectionDetails) to `handlers`. */
  start(handlers: ConnectionHandlers, heartbeatIntervalMs: number): void {
    this.#handlers = handlers;
    this.#s.heartbeatIntervalMs = heartbeatIntervalMs;
    this.#scheduleHeartbeat();
    const early = this.#early;
    this.#early = [];
    for (const frame of early) if (!this.#ended) handlers.frame(frame);
  }

  /** A REST call over the socket; resolves with the reply's status and body. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    if (this.#ended)
      return Promise.reject(new SubscriptionError(`The connection to ${this.#s.safeUrl} is closed`));
    const messageId = newMessageId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(messageId);
        reject(new SubscriptionError(`No reply to ${method} ${path} within ${this.#s.requestTimeoutMs} ms`));
        // A gateway that does not answer requests is as good as dead.
        this.#fail(new SubscriptionError(`The gateway at ${this.#s.safeUrl} stopped answering`));
      }, this.#s.requestTimeoutMs);
      this.#pending.set(messageId, { resolve, reject, timer });
      this.#send(requestFrame(messageId, method, path, body));
    });
  }

  /** Closes the connection and forgets it: no frame, event or timer after this. Idempotent. */
  close(): void {
    this.#end(undefined);
    try {
      this.#ws.close(1000);
    } catch {
      // already closing
    }
  }

  #send(text: string): void {
    try {
      this.#ws.send(text);
      this.#scheduleHeartbeat();
    } catch (error) {
      this.#fail(
        new SubscriptionError(`Could not send on the connection to ${this.#s.safeUrl}`, {
          cause: this.#s.secrets.cause(error),
        }),
      );
    }
  }

  // Heartbeats keep the gateway from closing an idle connection, and prove ours is alive: after a
  // heartbeat, the gateway must send something (its heartbeat reply at least) within the timeout.
  #scheduleHeartbeat(): void {
    if (this.#ended || !this.#handlers) return;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => {
      this.#deadline ??= setTimeout(() => {
        this.#fail(
          new SubscriptionError(
            `No answer from ${this.#s.safeUrl} within ${this.#s.heartbeatTimeoutMs} ms of a heartbeat: the connection is dead`,
          ),
        );
      }, this.#s.heartbeatTimeoutMs);
      this.#send(heartbeatFrame(newMessageId()));
    }, this.#s.heartbeatIntervalMs);
  }

  readonly #onMessage = (event: MessageEvent) => {
    if (this.#ended) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    const frame = parseFrame(
      typeof event.data === 'string' ? event.data : String(event.data),
      this.#s.secrets,
    );
    if (this.#opened) {
      if (frame.type === 'ConnectionDetails') {
        const opened = this.#opened;
        this.#opened = undefined;
        opened.resolve({ details: frame.details, wsc: frame.wsc });
      } else if (frame.type === 'Error') {
        this.#fail(frame.error);
      }
      return;
    }
    if (frame.type === 'ClientRequest') {
      const pending = this.#pending.get(frame.messageId);
      if (pending) {
        this.#pending.delete(frame.messageId);
        clearTimeout(pending.timer);
        pending.resolve({ status: frame.status, body: frame.body });
      }
    }
    if (frame.type === 'Error' && frame.messageId !== undefined && this.#pending.has(frame.messageId)) {
      const pending = this.#pending.get(frame.messageId)!;
      this.#pending.delete(frame.messageId);
      clearTimeout(pending.timer);
      pending.reject(frame.error);
    }
    if (this.#handlers) this.#handlers.frame(frame);
    else this.#early.push(frame);
  };

  readonly #onClose = (event: CloseEvent) => {
    // The reason is the gateway's text, which may quote our tokens.
    const text = event.reason
      ? ` (${event.code} ${this.#s.secrets.scrub(event.reason)})`
      : ` (${event.code})`;
    // Private close codes 4400-4599 carry an HTTP status (4401: the ws token was refused).
    const status = event.code >= 4400 && event.code < 4600 ? event.code - 4000 : undefined;
    this.#fail(
      new SubscriptionError(
        `The connection to ${this.#s.safeUrl} closed${text}`,
        status === undefined ? {} : { status },
      ),
    );
  };

  readonly #onError = () => {
    this.#fail(new SubscriptionError(`The connection to ${this.#s.safeUrl} failed`));
  };

  /** Ends the connection for `reason`: the caller hears of it once (lost, or open's rejection). */
  #fail(reason: SubscriptionError): void {
    if (this.#ended) return;
    const opened = this.#opened;
    const handlers = this.#handlers;
    this.#end(reason);
    try {
      this.#ws.close();
    } catch {
      // already closed
    }
    if (opened) opened.reject(reason);
    else handlers?.lost(reason);
  }

  #end(reason: SubscriptionError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#heartbeat);
    clearTimeout(this.#deadline);
    this.#ws.removeEventListener('message', this.#onMessage);
    this.#ws.removeEventListener('close', this.#onClose);
    this.#ws.removeEventListener('error', this.#onError);
    const error = reason ?? new SubscriptionError('The subscription was closed');
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
    if (this.#opened && !reason) {
      const opened = this.#opened;
      this.#opened = undefined;
      opened.reject(error);
    }
    this.#handlers = undefined;
    this.#early = [];
  }
}
