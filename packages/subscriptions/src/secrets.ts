import { safeCause, scrub } from '@rc/core/kit';

// The secrets a subscription knows (the ws tokens it was given, the access token it asked for them
// with, the wsc recovery token), so that text from the gateway — an error frame, a close reason, a
// refused request — is scrubbed of them by value, in every rendering (raw, URL-encoded, ...),
// before it becomes part of an error. Core's scrub() already removes what looks like a credential;
// this catches the echo of a known value whatever it looks like.

/** How many values of each kind are remembered (a value may be quoted after it was replaced). */
const KEEP = 4;

export class KnownSecrets {
  readonly #values: string[] = [];

  /** Remembers `value` (the most recent few are kept). */
  add(value: string | undefined): void {
    if (!value || this.#values.includes(value)) return;
    this.#values.push(value);
    if (this.#values.length > KEEP * 3) this.#values.shift();
  }

  /** `text` without any known secret (and without anything credential-shaped). */
  scrub(text: string): string {
    return scrub(text, this.#values);
  }

  /** A foreign error as a safe `cause`, scrubbed of the known secrets too. */
  cause(error: unknown): Error {
    return safeCause(error, this.#values);
  }
}
