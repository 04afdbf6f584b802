import { scrubUrl } from '../redact.js';
import { ErrorCodes } from './codes.js';
import { RcError } from './rc-error.js';

export interface RateLimitErrorInit {
  /** The rate-limit group, e.g. `Light` or `Auth`; undefined when the server never named it. */
  group: string | undefined;
  /** How long until the group may be sent to again, in ms. */
  retryAfterMs: number;
  method: string;
  /** The request URL, secret query values removed. */
  url: string;
  /** The limit the wait exceeded. */
  maxWaitMs: number;
  /**
   * The HTTP status of an attempt that was sent (a 429, or a 5xx whose retry was held back; 0 for
   * one that got no answer); absent when nothing was sent.
   */
  sentStatus?: number | undefined;
}

/**
 * A request (or its retry) was not sent because waiting for its rate-limit group (a penalty after a
 * 429, or the budget the server reported) would take longer than `maxWaitMs`; sending it anyway
 * would restart RingCentral's penalty. Also what a 429 that cannot be waited out becomes: then the
 * request was sent and only its retry was not (`sent` is true). Retry after `retryAfterMs`, or
 * raise `maxWaitMs`.
 */
export class RateLimitError extends RcError {
  override name = 'RateLimitError';
  readonly group: string | undefined;
  readonly retryAfterMs: number;
  readonly method: string;
  readonly url: string;
  /** `true` when an attempt went out (answered 429 or 5xx) and only its retry was held back. */
  readonly sent: boolean;
  /** The limit the wait exceeded. */
  readonly maxWaitMs: number;

  constructor(init: RateLimitErrorInit) {
    const what = init.group === undefined ? 'its route' : `the ${init.group} group`;
    const outcome =
      init.sentStatus === undefined
        ? 'was not sent'
        : `was sent${init.sentStatus ? ` (HTTP ${init.sentStatus})` : ''}; its retry was not`;
    super(
      ErrorCodes.RATE_LIMIT,
      `${init.method} ${new URL(init.url).pathname} ${outcome}: ${what} is rate-limited for ${Math.ceil(init.retryAfterMs / 1000)} s more, ` +
        `longer than maxWaitMs (${init.maxWaitMs} ms). Retry later, or raise maxWaitMs.`,
    );
    this.sent = init.sentStatus !== undefined;
    this.maxWaitMs = init.maxWaitMs;
    this.group = init.group;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.url = scrubUrl(init.url);
  }
}
