import { scrubUrl } from '../redact.js';
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
    this.url = init.url === undefined ? undefined : scrubUrl(init.url);
    this.timeout = init.timeout ?? false;
  }
}

/**
 * The reason under a fetch failure: the deepest error of its `cause` chain (ky's NetworkError wraps
 * fetch's `TypeError('fetch failed')`, which wraps undici's `ECONNREFUSED` or `other side closed`),
 * or the first one on the way that carries a string `code`. Bounded: a cyclic chain ends.
 */
function reasonOf(error: unknown): unknown {
  let reason = error;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof (reason as { code?: unknown } | null)?.code === 'string') return reason;
    const next = (reason as { cause?: unknown } | null)?.cause;
    if (!(next instanceof Error)) return reason;
    reason = next;
  }
  return reason;
}

/** fetch's own words, which say nothing the method and "failed" do not. */
const GENERIC = new Set(['fetch failed', 'terminated', 'Request failed', '']);

/**
 * The NetworkError for a fetch that threw; its cause is a safeCause() of the reason. The message
 * says why (a code such as ECONNREFUSED, and the reason's own words, scrubbed of `secrets` and of
 * anything credential-shaped), never the whole URL.
 */
export function toNetworkError(
  error: unknown,
  method: string,
  url: string,
  timedOut?: boolean,
  secrets: ReadonlyArray<string | undefined> = [],
): NetworkError {
  const timeout = timedOut ?? (error as { name?: string } | null)?.name === 'TimeoutError';
  const reason = reasonOf(error);
  const cause = safeCause(reason, secrets);
  const code = (cause as { code?: string }).code;
  const words =
    GENERIC.has(cause.message) || cause.message === 'unknown error' ? '' : cause.message.slice(0, 200);
  const why = [code, words].filter(Boolean).join(': ');
  const safeUrl = scrubUrl(url, secrets);
  const what = `${method} ${URL.canParse(safeUrl) ? new URL(safeUrl).pathname : safeUrl}`;
  return new NetworkError(`${what} ${timeout ? 'timed out' : `failed${why ? ` (${why})` : ''}`}`, {
    method,
    url: safeUrl,
    timeout,
    cause,
  });
}
