import { scrub, scrubValue } from '../redact.js';
import type { ErrorCode } from './codes.js';

// A registry symbol, not a class check: `isRcError()` must work when two copies of @rc/core are
// loaded (nested node_modules, bundles, another realm), where `instanceof` fails.
const brand = Symbol.for('@rc/core.RcError');

/** Options every {@link RcError} takes. */
export interface RcErrorOptions {
  /** The underlying error. Must never carry a secret: callers pass sanitised causes only. */
  cause?: unknown;
}

/** Base class of every error the `@rc` packages throw. `code` is stable; `message` is for people. */
export class RcError extends Error {
  /** The class name (`'RcError'`, `'OAuthError'`, ...), as `instanceof` would tell, across package copies too. */
  override name = 'RcError';
  /** A stable code from {@link ErrorCodes} (`RC_CONFIG`, `RC_OAUTH`, ...): match on it, not on the message. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: RcErrorOptions = {}) {
    // Scrubbed before Error captures it: the stack quotes the message.
    super(scrub(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** A plain view for `JSON.stringify`: name, code, message, and the subclass's public fields. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [k, v] of Object.entries(this)) if (k !== 'cause' && k !== 'stack') out[k] = scrubValue(v);
    return out;
  }
}

/** `true` for any error from any copy of @rc/core. */
export function isRcError(value: unknown): value is RcError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
