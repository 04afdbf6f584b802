import { scrub } from '../redact.js';

// The one place that turns a foreign error (fetch, a Redis driver, a keyv adapter, JSON.parse) into
// a `cause` that is safe to attach to an RcError. The original is never kept: its message, fields,
// stack or request objects may quote a token, a password or a connection URL with credentials.
// Stores (ours and third parties') use it through the public export.

// Long runs of token characters: RingCentral access and refresh tokens, JWT segments, keys.
const OPAQUE_RUN = /[A-Za-z0-9+/=_-]{32,}/g;
// Credentials in a URL: redis://user:password@host, https://user:pass@host.
const URL_CREDENTIALS = /\/\/[^/@\s]*@/g;

/**
 * A fresh Error holding only the original's `name`, its string `code` (ECONNREFUSED, ETIMEDOUT)
 * and a redacted message: the known `secrets`, long token-like runs and URL credentials removed.
 * A SyntaxError's message (which quotes the text it failed on) is replaced altogether.
 */
export function safeCause(error: unknown, secrets: ReadonlyArray<string | undefined> = []): Error {
  let message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (error instanceof SyntaxError) message = 'the value could not be parsed';
  message = scrub(message, secrets);
  message = message.replace(URL_CREDENTIALS, '//***@').replace(OPAQUE_RUN, '[redacted]');
  const cause = new Error(message || 'unknown error');
  cause.name = error instanceof Error ? error.name : 'NonError';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.defineProperty(cause, 'code', { value: code, enumerable: true });
  return cause;
}
