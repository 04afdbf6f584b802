// @rc/store-redis: a TokenStore on Redis (single node or Cluster) with a distributed lock.
// Node-only (node:async_hooks, node:crypto, TCP). The public face: named exports only.

export type { RedisBudget } from './budget.js';
export type { RedisStoreOptions } from './options.js';
export type { RedisTokenStore } from './redis-store.js';
export { redisStore } from './redis-store.js';
