import { ConfigError } from '../errors/config-error.js';
import { StoreError } from '../errors/store-error.js';
import type { TokenSet } from '../types.js';
import { checkTokenSet, tokenStoreTtl } from './check.js';

// The one read/write policy of a token store, so every store (ours and third parties') treats
// tokens the same way: only TokenSet fields are written and read back (a caller's object may carry
// anything, a password included), an entry lives as long as its refresh token, a dead token is
// neither written nor returned, and a value that is not a TokenSet is refused, never read as
// "no token" (that would start a needless login). Messages name the field at fault, never a value.

/** What `set(key, token)` should write. */
export interface TokenWrite {
  /** The token's TokenSet fields only. */
  token: TokenSet;
  /**
   * How long the entry should live, in whole ms (≥ 1); `undefined`: no expiry (the refresh
   * token's lifetime is unknown). Ignore it when `expired`.
   */
  ttlMs: number | undefined;
  /** The token is already dead: delete the entry instead of writing (it replaced the old one). */
  expired: boolean;
}

/**
 * Checks a token handed to `set()` and says what to write and for how long.
 * @param store the store's name for messages, e.g. `'memoryStore'`
 * @throws {ConfigError} when `token` is not a TokenSet
 */
export function tokenWrite(token: unknown, now: number, store: string, key: string): TokenWrite {
  const checked = checkTokenSet(token);
  if (!checked.ok) {
    throw new ConfigError(
      `${store}.set("${key}"): the token is not a TokenSet (${checked.problem})`,
      'token',
    );
  }
  const left = tokenStoreTtl(checked.token, now);
  return {
    token: checked.token,
    ttlMs: Number.isFinite(left) ? Math.max(1, Math.floor(left)) : undefined,
    expired: left <= 0,
  };
}

/**
 * The token in a stored value, or `undefined` when its lifetime is over (a backend may not enforce
 * TTLs exactly, and an entry written by other code may have none).
 * @throws {StoreError} `parse`, when the value is not a TokenSet
 */
export function tokenRead(value: unknown, now: number, store: string, key: string): TokenSet | undefined {
  const checked = checkTokenSet(value);
  if (!checked.ok) throw corruptToken(store, key, checked.problem);
  return tokenStoreTtl(checked.token, now) > 0 ? checked.token : undefined;
}

/** The StoreError for a stored value that is not a token. Says what is wrong, never what it holds. */
export function corruptToken(store: string, key: string, problem: string): StoreError {
  return new StoreError(
    'parse',
    `The value stored under "${key}" in ${store} is not a TokenSet (${problem}); no token was read. ` +
      'Delete it or overwrite it with set().',
  );
}
