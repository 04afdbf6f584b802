import { ErrorCodes } from './codes.js';
import { RcError } from './rc-error.js';

/** A bad option or call, thrown at once (at construction, never on the first request). */
export class ConfigError extends RcError {
  override name = 'ConfigError';
  /** The option at fault, e.g. `clientId` or `plugins[2].name`. */
  readonly option: string | undefined;

  constructor(message: string, option?: string) {
    super(ErrorCodes.CONFIG, message);
    this.option = option;
  }
}
