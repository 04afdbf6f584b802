import type { FetchHandler } from './handler.js';

// The adapter for node:http and Express: builds a web Request from the IncomingMessage (the body
// streamed, never buffered here: the handler enforces its size limit as it reads) and writes the
// Response back. No node: import, not even of types: the shapes below are what it uses of
// node:http's IncomingMessage and ServerResponse (which fit them), so the package and its types
// stay usable where node:http and @types/node are absent.

/** What the adapter reads of a node:http `IncomingMessage` (an Express `Request` fits too). */
export interface NodeRequest extends AsyncIterable<unknown> {
  /** The HTTP method (`POST`). */
  method?: string | undefined;
  /** The path and query. */
  url?: string | undefined;
  /** The request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
}

/** What the adapter writes through of a node:http `ServerResponse`. */
export interface NodeResponse {
  /** `true` once the status line and headers are written. */
  readonly headersSent: boolean;
  /** Writes the status and headers. */
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  /** Writes the body (if any) and ends the response. */
  end(chunk?: Uint8Array | string): unknown;
}

/** The request's body as a web stream, read from the socket only as the handler pulls it. */
function streamOf(req: NodeRequest): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value as Uint8Array));
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/**
 * What a body parser read into `req.body`, or `undefined` when nothing was read. body-parser
 * marks a body it read with `req._body`; without the mark, an empty object is what body-parser 1.x
 * (Express 4) leaves for a body it did not take, unread on the socket: that body is streamed.
 */
function readBody(req: NodeRequest): unknown {
  const r = req as NodeRequest & { body?: unknown; _body?: unknown };
  const parsed = r.body;
  if (r._body === true) return parsed;
  const untouched =
    typeof parsed === 'object' &&
    parsed !== null &&
    Object.getPrototypeOf(parsed) === Object.prototype &&
    Object.keys(parsed).length === 0;
  return untouched ? undefined : parsed;
}

/** A node:http request listener (also an Express handler: `app.post('/webhook', toNodeHandler(h))`). */
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => Promise<void>;

/**
 * Runs a fetch-style handler (such as {@link webhookHandler}'s) as a `node:http` / Express handler.
 * Best mounted before any body parser: the handler then reads the bytes as sent, within its
 * `maxBodyBytes`. Behind one it still works: a body a parser left alone is streamed; one it read
 * into `req.body` is handed on as what it stands for (a string or Buffer as is, parsed JSON
 * serialized again), so the handshake, the token check and the notification are the same; the
 * parser's own limit (express.json()'s 100 kB by default) applies first, and a body it cannot
 * parse is refused by Express before the handler sees it.
 * @example
 * http.createServer(toNodeHandler(webhookHandler({ verificationToken, onNotification }))).listen(3000);
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const parsed = readBody(req);
      let body: BodyInit | null = null;
      // A request that declares no body has none, whatever a parser made of it: express.json()
      // turns the handshake's empty body into `{}` when it is typed JSON, which is no handshake.
      const empty = headers.get('content-length') === '0';
      if (method !== 'GET' && method !== 'HEAD' && !empty) {
        if (typeof parsed === 'string') body = parsed;
        else if (parsed instanceof Uint8Array) body = new Uint8Array(parsed);
        else if (parsed !== undefined && parsed !== null) body = JSON.stringify(parsed);
        else body = streamOf(req);
        if (parsed !== undefined && parsed !== null) headers.delete('content-length');
      }
      const url = `http://${headers.get('host') ?? '127.0.0.1'}${req.url ?? '/'}`;
      const request = new Request(URL.canParse(url) ? url : 'http://127.0.0.1/', {
        method,
        headers,
        body,
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
      const response = await handler(request);
      const bytes = new Uint8Array(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(bytes);
    } catch {
      // Never let a request crash the server; the error itself may hold the input.
      if (res.headersSent) res.end();
      else {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error');
      }
    }
  };
}
