import { isHTTPError } from 'ky';
import { ConfigError } from '../errors/config-error.js';
import { scrubUrl } from '../redact.js';
import type { Plugin } from '../types.js';
import { checkOptions } from '../util/check-options.js';

/** One log record. Holds no header, no body and no secret query value. */
export interface LogEntry {
  /**
   * `request` before each attempt is sent, `response` for every answer (any status: a failed
   * request is its one `←` line), `error` for a request that ended without an answer (a network
   * failure, a timeout, a refusal such as RateLimitError).
   */
  type: 'request' | 'response' | 'error';
  /** The request method. */
  method: string;
  /** The URL, with secret query values (`access_token`, `code`, ...) replaced by `[redacted]`. */
  url: string;
  /** The HTTP status (`response` and `error` entries). */
  status?: number;
  /** Milliseconds from sending the attempt to its answer (`response` entries). */
  durationMs?: number;
  /** RingCentral's `RCRequestId`, to quote to RingCentral support. */
  requestId?: string;
  /** 0 for the first attempt, then ky's retry count. */
  retryCount?: number;
  /** The error's name (`error` entries), e.g. `TimeoutError`; never its message, which may quote the URL. */
  error?: string;
}

/** Options of {@link logger}. */
export interface LoggerOptions {
  /**
   * Receives a readable line and the structured entry.
   * @default console.log
   */
  log?: ((line: string, entry: LogEntry) => void) | undefined;
}

/**
 * Logs every request and response (token requests included) as one line each: method, redacted
 * URL, status, duration and RingCentral's request id. It never logs headers or bodies, so no token,
 * password, client secret or code can reach a log through it.
 *
 * @example
 * createClient({ ..., plugins: [logger({ log: (line) => pino.debug(line) })] });
 */
export function logger(options: LoggerOptions = {}): Plugin {
  checkOptions(options, ['log'], 'logger()');
  const log = options.log ?? ((line: string) => console.log(line));
  if (typeof log !== 'function') throw new ConfigError('logger(): `log` must be a function', 'log');
  // ky hands every hook of one call the same `context` object: it keys the start time. Durations
  // are measured on the monotonic clock (a wall clock set back mid-request would make them negative).
  const started = new WeakMap<object, number>();
  const request = (type: 'request', req: Request, retryCount: number) => {
    const entry: LogEntry = { type, method: req.method, url: scrubUrl(req.url), retryCount };
    log(`→ ${entry.method} ${entry.url}${retryCount ? ` (retry ${retryCount})` : ''}`, entry);
  };
  return {
    name: 'logger',
    hooks: {
      beforeRequest: [
        ({ request: req, options }) => {
          started.set(options.context, performance.now());
          request('request', req, 0);
        },
      ],
      // ky 2 runs beforeRequest once per call; each retry passes through beforeRetry instead.
      beforeRetry: [
        ({ request: req, options, retryCount }) => {
          started.set(options.context, performance.now());
          request('request', req, retryCount);
        },
      ],
      afterResponse: [
        ({ request, options, response }) => {
          const start = started.get(options.context);
          const requestId = response.headers.get('rcrequestid') ?? undefined;
          const entry: LogEntry = {
            type: 'response',
            method: request.method,
            url: scrubUrl(request.url),
            status: response.status,
            ...(start === undefined ? {} : { durationMs: Math.round(performance.now() - start) }),
            ...(requestId ? { requestId } : {}),
          };
          log(
            `← ${entry.status} ${entry.method} ${entry.url}${entry.durationMs === undefined ? '' : ` ${entry.durationMs} ms`}${requestId ? ` RCRequestId=${requestId}` : ''}`,
            entry,
          );
        },
      ],
      // An error status was logged by afterResponse, as the request's one answer line; what ends
      // without an answer is logged here, by the error's name only.
      beforeError: [
        ({ error, request }) => {
          if (!isHTTPError(error)) {
            const entry: LogEntry = {
              type: 'error',
              method: request.method,
              url: scrubUrl(request.url),
              error: error.name,
            };
            log(`✗ ${entry.method} ${entry.url} ${entry.error}`, entry);
          }
          return error;
        },
      ],
    },
  };
}
