// The one reader of RingCentral's rate-limit headers (`Retry-After`, `X-Rate-Limit-*`). A server,
// a proxy or a bug can send anything there: every value is bounded before the limiter believes it.

/** The longest penalty or window believed: 1 hour. A larger value is read as 1 hour. */
export const MAX_RATE_LIMIT_MS = 3_600_000;
/** RingCentral: a 429 without `Retry-After` means "wait at least 30 s". */
export const DEFAULT_RETRY_AFTER_MS = 30_000;

const SECONDS = /^\d+(\.\d+)?$/;

/**
 * `Retry-After` as ms from `now`: delay-seconds (RFC 9110 §10.2.3; decimals accepted) or an HTTP
 * date (a past date is 0). `undefined` when missing or unreadable. At most {@link MAX_RATE_LIMIT_MS}.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (SECONDS.test(v)) return Math.min(Number(v) * 1000, MAX_RATE_LIMIT_MS);
  // A date has letters (the day and month names); "-5" or "" is no date, whatever Date.parse says.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RATE_LIMIT_MS);
}

/**
 * The `Retry-After` of a reply as ms from `now` (see {@link parseRetryAfter}): the one reading of
 * it, for the rate limiter's penalty and for the retry policy's wait alike.
 */
export const retryAfterOf = (headers: Headers, now: number): number | undefined =>
  parseRetryAfter(headers.get('retry-after'), now);

/** What a reply says of its group's budget. Each field is undefined when missing or unreadable. */
export interface Budget {
  group: string | undefined;
  limit: number | undefined;
  remaining: number | undefined;
  /** `X-Rate-Limit-Window` in ms, at most {@link MAX_RATE_LIMIT_MS}. */
  windowMs: number | undefined;
}

const count = (value: string | null): number | undefined => {
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value);
};

export function readBudget(headers: Headers): Budget {
  const group = headers.get('x-rate-limit-group')?.trim() || undefined;
  const window = headers.get('x-rate-limit-window');
  const seconds = window !== null && SECONDS.test(window.trim()) ? Number(window) : undefined;
  return {
    group,
    limit: count(headers.get('x-rate-limit-limit')),
    remaining: count(headers.get('x-rate-limit-remaining')),
    windowMs: seconds === undefined || seconds <= 0 ? undefined : Math.min(seconds * 1000, MAX_RATE_LIMIT_MS),
  };
}
