// The one reader of RingCentral's error bodies, OAuth (`{ error, error_description, errors }`) and
// REST (`{ errorCode, message, errors }`) alike, with one precedence: the most specific text first
// (`error_description`, then `message`, then `errors[0].message`), the top-level code before the
// first entry's. What it returns is scrubbed of `secrets` and of anything credential-shaped.
import { scrub, scrubValue } from '../redact.js';

/** One entry of RingCentral's `errors[]` array. */
export interface ApiErrorDetail {
  /** RingCentral's code for this entry, e.g. `CMN-102`. */
  errorCode?: string;
  /** What went wrong, in RingCentral's words. */
  message?: string;
  [key: string]: unknown;
}

export interface ErrorBody {
  /** The OAuth `error` field (`invalid_grant`, ...), when there is one. */
  error: string | undefined;
  /** The best human-readable text. */
  description: string | undefined;
  /** RingCentral's code (`OAU-140`, `CMN-102`). */
  errorCode: string | undefined;
  errors: ApiErrorDetail[];
  /** `false` when there was no body, or it was not JSON. */
  parsed: boolean;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads an error body: an object, or text that may be JSON (whatever its content type said). */
export function readErrorBody(data: unknown, secrets: ReadonlyArray<string | undefined> = []): ErrorBody {
  let parsed = data;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // Not JSON (a proxy's HTML page, say): the status alone describes it.
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { error: undefined, description: undefined, errorCode: undefined, errors: [], parsed: false };
  }
  const b = parsed as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? (scrubValue(
        b.errors.filter((e) => typeof e === 'object' && e !== null),
        secrets,
      ) as ApiErrorDetail[])
    : [];
  const first = errors[0];
  const clean = (v: string | undefined) => (v === undefined ? undefined : scrub(v, secrets));
  return {
    error: clean(str(b.error)),
    description: clean(str(b.error_description) ?? str(b.message) ?? str(first?.message)),
    errorCode: clean(str(b.errorCode) ?? str(first?.errorCode)),
    errors,
    parsed: true,
  };
}
