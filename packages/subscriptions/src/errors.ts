import { ErrorCodes, RcError, type RcErrorOptions } from '@rc/core';

/**
 * A subscription problem that is not an HTTP or token error: the gateway refused the connection
 * or a request over it, a connection died, a reply was malformed. `status` and `errorCode` are the
 * gateway's when it sent them. Never holds a token: URLs in messages are redacted.
 */
export class SubscriptionError extends RcError {
  override name = 'SubscriptionError';
  /** The HTTP status of the failed request, when there was one. */
  readonly status: number | undefined;
  /** RingCentral's `errorCode` (e.g. `SUB-406`), when given. */
  readonly errorCode: string | undefined;

  constructor(message: string, init: { status?: number; errorCode?: string } & RcErrorOptions = {}) {
    super(ErrorCodes.SUBSCRIPTION, message, init.cause === undefined ? {} : { cause: init.cause });
    this.status = init.status;
    this.errorCode = init.errorCode;
  }
}
