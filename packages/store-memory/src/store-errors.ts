import { StoreError } from '@rc/core';
import { safeCause } from '@rc/core/kit';

// Turns whatever a keyv backend threw into a StoreError that is safe to log: core's safeCause()
// keeps the name, `code` and a redacted message (what is needed to diagnose ECONNREFUSED or a
// timeout), never the original, whose message may quote the value being read or written.

export type StoreOperation = 'get' | 'set' | 'delete';

const VERB: Record<StoreOperation, string> = { get: 'read', set: 'write', delete: 'delete' };

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
