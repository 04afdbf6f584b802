import { type ErrorCode, ErrorCodes } from './codes.js';
import { RcError, type RcErrorOptions } from './rc-error.js';

/** A request got no HTTP answer: connection refused, reset, DNS failure, or a timeout. */
export class NetworkError extends RcError {
  override name = 'NetworkError';
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** `true` when the request timed out. */
  readonly timeout: boolean;

  constructor(
    message: string,
    init: { method?: string; url?: string; timeout?: boolean; code?: ErrorCode } & RcErrorOptions = {},
  ) {
    super(init.code ?? ErrorCodes.NETWORK, message, init);
    this.method = init.method;
    this.url = init.url;
    this.timeout = init.timeout ?? false;
  }
}
