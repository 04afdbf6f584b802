/** The WebSocket gateway's resolved settings and fresh counters, apart from the gateway (no import cycle). */
import type { MockWebSocketStats } from '../types/notifications.js';

/** `MockWebSocketOptions` after defaults (options.ts) and validation. */
export interface GatewayOptions {
  recoveryTimeoutSec: number;
  idleTimeoutSec: number;
  absoluteTimeoutSec: number;
  recoveryBufferSize: number;
  tokenTtlSec: number;
  subscriptionTtlSec: number;
}

export function createWebSocketStats(): MockWebSocketStats {
  return {
    tokens: 0,
    connections: 0,
    open: 0,
    recoveries: { successful: 0, failed: 0 },
    subscriptions: 0,
    notifications: 0,
    heartbeats: 0,
  };
}
