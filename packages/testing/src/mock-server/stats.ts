/** Request counters. The stats object is handed out live, so resetting must zero it in place. */

import { REVOKE_PATH, TOKEN_PATH } from './context.js';
import { parseForm } from './http.js';
import { createWebSocketStats } from './notifications/ws-settings.js';
import type { MockStats } from './types/server.js';

export function createStats(): MockStats {
  return {
    requests: 0,
    byEndpoint: {},
    byGrant: {},
    byStatus: {},
    rateLimited: 0,
    duringPenalty: 0,
    revokes: 0,
    webSocket: createWebSocketStats(),
  };
}

/** Zeroes the counters in place: callers may hold a reference to `server.stats`. */
export function resetStats(stats: MockStats): void {
  stats.requests = 0;
  stats.rateLimited = 0;
  stats.duringPenalty = 0;
  stats.revokes = 0;
  // `open` is a gauge, not a counter: it keeps counting the connections that are open now.
  const { open } = stats.webSocket;
  Object.assign(stats.webSocket, createWebSocketStats(), { open });
  for (const record of [stats.byEndpoint, stats.byGrant, stats.byStatus]) {
    for (const key of Object.keys(record)) delete record[key];
  }
}

function increment(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/**
 * Counts a request on arrival, before any handling (canned `failNext` answers included): the
 * token endpoint's grant and revoke calls count whatever the outcome.
 */
export function countRequest(stats: MockStats, method: string, path: string, body: string): void {
  stats.requests++;
  increment(stats.byEndpoint, `${method} ${path}`);
  if (method !== 'POST') return;
  if (path === TOKEN_PATH) {
    const grant = parseForm(body)?.get('grant_type');
    if (grant) increment(stats.byGrant, grant);
  } else if (path === REVOKE_PATH) {
    stats.revokes++;
  }
}

/** Counts a status sent. */
export function countStatus(stats: MockStats, status: number): void {
  increment(stats.byStatus, String(status));
  if (status === 429) stats.rateLimited++;
}
