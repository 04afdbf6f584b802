import { scrub } from '../redact.js';

// The one place that turns a foreign error (fetch, a Redis driver, a keyv adapter, JSON.parse) into
// a `cause` that is safe to attach to an RcError. The original is never kept: its message, fields,
// stack or request objects may quote a token, a password or a connection URL with credentials.
// Stores (ours and third parties') use it through the public export.

/**
 * A fresh Error holding only the original's `name`, its string `code` (ECONNREFUSED, ETIMEDOUT)
 * and its message through scrub() (the known `secrets` in every rendering, credential-shaped text,
 * long token-like runs, URL credentials). A SyntaxError's message (which quotes the text it failed
 * on) is replaced altogether.
 */
export function safeCause(error: unknown, secrets: ReadonlyArray<string | undefined> = []): Error {
  let message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (error instanceof SyntaxError) message = 'the value could not be parsed';
  const cause = new Error(scrub(message, secrets) || 'unknown error');
  cause.name = error instanceof Error ? scrub(error.name) : 'NonError';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string')
    Object.defineProperty(cause, 'code', { value: scrub(code), enumerable: true });
  return cause;
}
