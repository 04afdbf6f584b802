import type { TestProject } from 'vitest/node';
import { ensureRedis, startRedisCluster } from '../../../scripts/services/redis.mjs';

// Runs once per `vitest run` for the store-redis project: makes sure the single Redis at REDIS_URL
// answers and a Redis Cluster is up (REDIS_CLUSTER_NODES, comma-separated URLs, names one already
// running; otherwise one is started on 127.0.0.1:7100-7102, or reused if healthy there), and hands
// both to the tests via `inject('redisUrl')` / `inject('redisClusterNodes')`. Stops only what it started.

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisClusterNodes: string[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { url } = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  project.provide('redisUrl', url);
  const given = process.env.REDIS_CLUSTER_NODES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (given?.length) {
    project.provide('redisClusterNodes', given);
    return async () => {};
  }
  const cluster = await startRedisCluster({ basePort: Number(process.env.REDIS_CLUSTER_BASE_PORT ?? 7100) });
  project.provide('redisClusterNodes', cluster.nodes);
  return () => cluster.stop();
}
