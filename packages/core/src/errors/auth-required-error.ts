import { ErrorCodes } from './codes.js';
import { RcError, type RcErrorOptions } from './rc-error.js';

/** There is no usable token and no unattended grant to get one: call `authorize()` again. */
export class AuthRequiredError extends RcError {
  override name = 'AuthRequiredError';
  /** The session key that needs a login. */
  readonly sessionKey: string;

  constructor(sessionKey: string, reason: string, options?: RcErrorOptions) {
    super(ErrorCodes.AUTH_REQUIRED, `Authorization required for session "${sessionKey}": ${reason}`, options);
    this.sessionKey = sessionKey;
  }
}
