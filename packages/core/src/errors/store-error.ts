import { ErrorCodes } from './codes.js';
import { RcError, type RcErrorOptions } from './rc-error.js';

/** The token store failed. Never read as "no token": that would trigger needless logins. */
export class StoreError extends RcError {
  override name = 'StoreError';
  /** What the store was doing: `get`, `set`, `delete`, `lock`, `parse`. */
  readonly operation: string;

  constructor(operation: string, message: string, options?: RcErrorOptions) {
    super(ErrorCodes.STORE, message, options);
    this.operation = operation;
  }
}
