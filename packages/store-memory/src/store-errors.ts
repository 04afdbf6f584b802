import { StoreError } from '@rc/core';

// Turns whatever a keyv backend threw into a StoreError that is safe to log. The original error is
// not kept as the cause: its message, fields or stack may quote the value being read or written
// (JSON.parse's SyntaxError quotes its input; a driver may echo a command with its arguments), and
// that value holds tokens. The cause is a fresh Error with the original's name, `code` and a
// redacted message, which keeps what is needed to diagnose (ECONNREFUSED, a timeout) and no secret.

export type StoreOperation = 'get' | 'set' | 'delete';

// Long runs of token characters: RingCentral access and refresh tokens, JWTs (each segment), keys.
const OPAQUE_RUN = /[A-Za-z0-9+/=_-]{32,}/g;

const VERB: Record<StoreOperation, string> = { get: 'read', set: 'write', delete: 'delete' };

/** A copy of `error` that holds no secret: name, string `code`, and a redacted message. */
export function safeCause(error: unknown, secrets: ReadonlyArray<string | undefined> = []): Error {
  let message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // Parse errors quote the text they failed on, which is the stored token.
  if (error instanceof SyntaxError) message = 'the stored value could not be deserialized';
  for (const secret of secrets) if (secret) message = message.split(secret).join('[redacted]');
  message = message.replace(OPAQUE_RUN, '[redacted]');
  const cause = new Error(message || 'unknown error');
  cause.name = error instanceof Error ? error.name : 'NonError';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.defineProperty(cause, 'code', { value: code, enumerable: true });
  return cause;
}

/** The StoreError for a failed `operation` on `key`; `secrets` are redacted from the cause. */
export function storeFailure(
  operation: StoreOperation,
  key: string,
  error: unknown,
  secrets: ReadonlyArray<string | undefined> = [],
): StoreError {
  const cause = safeCause(error, secrets);
  const what = `Could not ${VERB[operation]} the token for key "${key}" in the memory store's keyv backend`;
  const hint =
    operation === 'get'
      ? 'The token was not treated as missing; check the keyv store adapter and retry.'
      : 'Check the keyv store adapter and retry.';
  return new StoreError(operation, `${what}: ${cause.name}: ${cause.message}. ${hint}`, { cause });
}
