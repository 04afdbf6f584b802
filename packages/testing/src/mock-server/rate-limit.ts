/**
 * RingCentral-style rate limiting: a sliding window per group and key (the user for REST calls,
 * the client for the token endpoint), and a penalty box. Once the limit is hit, every request in
 * the penalty period gets 429 and restarts the period, so a client that keeps knocking stays out:
 * a 429 pauses the whole group, not one request. Which group a route is in follows RingCentral's
 * OpenAPI description (`x-throttling-group`): the token and revoke endpoints are `Auth`, account and
 * extension reads `Light`, SMS `Medium` (see the route tables in oauth.ts and rest.ts).
 */
import type { RateLimitGroup, RateLimitRule } from './types/options.js';
import type { MockStats } from './types/server.js';

interface Bucket {
  /** Times of accepted requests inside the window, oldest first; never longer than the limit. */
  hits: number[];
  penaltyUntil: number;
}

export type RateLimitResult =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; headers: Record<string, string>; retryAfterSec: number };

export interface RateLimiterOptions {
  /** `false`: count and send headers, but never refuse. */
  enforced: boolean;
  rules: Record<RateLimitGroup, RateLimitRule>;
  now: () => number;
  /** Counts the requests that arrive during a penalty (`duringPenalty`). */
  stats: MockStats;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: RateLimiterOptions;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
  }

  /** Records a request of `group` by `key` and says whether to refuse it, with the headers to send either way. */
  check(group: RateLimitGroup, key: string): RateLimitResult {
    const { enforced, rules, now: clock } = this.#options;
    const rule = rules[group];
    const now = clock();
    const id = `${group}\u0000${key}`;
    let bucket = this.#buckets.get(id);
    if (!bucket) {
      bucket = { hits: [], penaltyUntil: 0 };
      this.#buckets.set(id, bucket);
    }
    const windowStart = now - rule.windowSec * 1000;
    while (bucket.hits.length > 0 && (bucket.hits[0] ?? 0) <= windowStart) bucket.hits.shift();

    if (enforced && (now < bucket.penaltyUntil || bucket.hits.length >= rule.limit)) {
      if (now < bucket.penaltyUntil) this.#options.stats.duringPenalty++;
      bucket.penaltyUntil = now + rule.penaltySec * 1000;
      return { limited: true, headers: headers(group, rule, 0), retryAfterSec: Math.ceil(rule.penaltySec) };
    }
    if (!enforced) {
      // Nothing is metered, so no budget is reported: a client that paces itself by
      // X-Rate-Limit-Remaining (as @rc/core does) would otherwise wait for a window for nothing.
      const { 'X-Rate-Limit-Remaining': _, ...unmetered } = headers(group, rule, rule.limit);
      return { limited: false, headers: unmetered };
    }
    bucket.hits.push(now);
    return { limited: false, headers: headers(group, rule, Math.max(0, rule.limit - bucket.hits.length)) };
  }
}

function headers(group: RateLimitGroup, rule: RateLimitRule, remaining: number): Record<string, string> {
  return {
    'X-Rate-Limit-Group': group,
    'X-Rate-Limit-Limit': String(rule.limit),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Window': String(rule.windowSec),
  };
}
