import { ErrorCodes, RcError, type RcErrorOptions } from '@rc/core';

/**
 * A webhook problem that is not an HTTP or token error: a malformed subscription reply, a
 * subscription RingCentral would not keep. The verification token is never part of one.
 */
export class WebhookError extends RcError {
  override name = 'WebhookError';
  /** RingCentral's `errorCode` or the subscription's status (`Blacklisted`), when known. */
  readonly errorCode: string | undefined;

  constructor(message: string, init: { errorCode?: string } & RcErrorOptions = {}) {
    super(ErrorCodes.WEBHOOK, message, init.cause === undefined ? {} : { cause: init.cause });
    this.errorCode = init.errorCode;
  }
}
