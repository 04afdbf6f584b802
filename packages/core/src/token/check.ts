import type { TokenSet } from '../types.js';

// Checks that a value read back from a store is a TokenSet before anyone uses it. A store holds
// whatever was written to it (another version of this library, a hand edit, a shared Redis with a
// key clash), and a malformed token must fail loudly as a corrupt store, never pass for a token and
// never read as "no token" (which would start a needless login). Every store uses it (ours and,
// through the public export, third parties'), and setToken() trusts nothing else.
//
// Problems are described by field name and expected type only, never by value: a value may hold an
// access or refresh token.

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = (v) => typeof v === 'string';
const isNonEmptyString: FieldCheck = (v) => typeof v === 'string' && v.length > 0;
const isEpochMs: FieldCheck = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * Whether a token can be sent as `Authorization: Bearer <token>`: visible ASCII only (RFC 6750's
 * b64token is narrower still). A line break, NUL, space or non-Latin-1 character would make every
 * request throw fetch's TypeError, which quotes the header value.
 */
export const isHeaderSafeToken = (v: unknown): v is string =>
  typeof v === 'string' && /^[\x21-\x7e]+$/.test(v);

const REQUIRED: ReadonlyArray<[keyof TokenSet, FieldCheck, string]> = [
  ['accessToken', isHeaderSafeToken, 'a non-empty string of visible ASCII characters'],
  ['tokenType', isString, 'a string'],
  ['expiresAt', isEpochMs, 'a finite number (epoch ms)'],
];

const OPTIONAL: ReadonlyArray<[keyof TokenSet, FieldCheck, string]> = [
  ['refreshToken', isNonEmptyString, 'a non-empty string'],
  ['refreshTokenExpiresAt', isEpochMs, 'a finite number (epoch ms)'],
  ['scope', isString, 'a string'],
  ['ownerId', isString, 'a string'],
  ['endpointId', isString, 'a string'],
];

/** The outcome of {@link checkTokenSet}: the clean TokenSet, or what is wrong (no values quoted). */
export type TokenSetCheck =
  | {
      /** The value is a TokenSet. */
      ok: true;
      /** A clean copy holding only TokenSet fields. */
      token: TokenSet;
    }
  | {
      /** The value is not a TokenSet. */
      ok: false;
      /** What is wrong, naming the field, never quoting a value. */
      problem: string;
    };

/**
 * Checks that `value` is a TokenSet and returns a clean copy holding only TokenSet fields (so
 * nothing unexpected, such as a prototype or a stray property, travels on). Optional fields that are
 * `undefined` or `null` (JSON has no `undefined`) are left out rather than refused.
 */
export function checkTokenSet(value: unknown): TokenSetCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: `expected an object, got ${describeType(value)}` };
  }
  const source = value as Record<string, unknown>;
  const token: Record<string, unknown> = {};
  for (const [field, check, expected] of REQUIRED) {
    if (!check(source[field])) return { ok: false, problem: fieldProblem(field, source[field], expected) };
    token[field] = source[field];
  }
  for (const [field, check, expected] of OPTIONAL) {
    const v = source[field];
    if (v === undefined || v === null) continue;
    if (!check(v)) return { ok: false, problem: fieldProblem(field, v, expected) };
    token[field] = v;
  }
  return { ok: true, token: token as unknown as TokenSet };
}

/** `true` when `value` is a well-formed TokenSet (as stored, or handed between processes). */
export function isTokenSet(value: unknown): value is TokenSet {
  return checkTokenSet(value).ok;
}

/**
 * How long a store should keep `token`, in ms from `now`: until the refresh token expires (a dead
 * access token can still be refreshed), or until the access token expires when there is no
 * refresh token. `Infinity` for a refresh token of unknown expiry; ≤ 0 when the token is over.
 */
export function tokenStoreTtl(token: TokenSet, now: number): number {
  if (token.refreshToken === undefined) return token.expiresAt - now;
  return token.refreshTokenExpiresAt === undefined
    ? Number.POSITIVE_INFINITY
    : token.refreshTokenExpiresAt - now;
}

function fieldProblem(field: string, value: unknown, expected: string): string {
  return value === undefined
    ? `"${field}" is missing`
    : `"${field}" must be ${expected}, got ${describeType(value)}`;
}

/** The type of a value, for messages: never the value itself. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  if (typeof value === 'string' && value.length === 0) return 'an empty string';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
