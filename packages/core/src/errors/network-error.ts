import { redactUrl } from '../redact.js';
import { ErrorCodes } from './codes.js';
import { RcError, type RcErrorOptions } from './rc-error.js';
import { safeCause } from './safe-cause.js';

/** A request got no HTTP answer: connection refused, reset, DNS failure, or a timeout. */
export class NetworkError extends RcError {
  override name = 'NetworkError';
  /** The request method, when known. */
  readonly method: string | undefined;
  /** The request URL, secret query values removed. */
  readonly url: string | undefined;
  /** `true` when the request timed out. */
  readonly timeout: boolean;

  constructor(
    message: string,
    init: { method?: string; url?: string; timeout?: boolean } & RcErrorOptions = {},
  ) {
    super(ErrorCodes.NETWORK, message, init);
    this.method = init.method;
    this.url = init.url;
    this.timeout = init.timeout ?? false;
  }
}

/** The NetworkError for a fetch that threw; its cause is a safeCause() of fetch's reason. */
export function toNetworkError(
  error: unknown,
  method: string,
  url: string,
  timedOut?: boolean,
): NetworkError {
  const e = error as { name?: string; cause?: unknown };
  const timeout = timedOut ?? e?.name === 'TimeoutError';
  // undici puts the reason (ECONNREFUSED, ...) in `cause`; 'fetch failed' alone says nothing.
  const reason = e?.cause instanceof Error ? e.cause : error;
  const code = (reason as { code?: unknown } | null)?.code;
  const safeUrl = redactUrl(url);
  const what = `${method} ${URL.canParse(safeUrl) ? new URL(safeUrl).pathname : safeUrl}`;
  return new NetworkError(
    `${what} ${timeout ? 'timed out' : `failed${typeof code === 'string' ? ` (${code})` : ''}`}`,
    {
      method,
      url: safeUrl,
      timeout,
      cause: safeCause(reason),
    },
  );
}
