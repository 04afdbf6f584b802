// Types for redis.mjs, so TypeScript tests and setups can import it under `strict`.
import type { ChildProcess } from 'node:child_process';

export interface RedisTarget {
  host?: string;
  port?: number;
  password?: string | undefined;
  username?: string | undefined;
}

export function redisCommand(target: RedisTarget, args: string[], timeoutMs?: number): Promise<unknown>;
export function ensureRedisBinary(): void;
export function ensureRedis(url?: string): Promise<{ url: string; started: boolean }>;
export function spawnRedisServer(port: number, extraArgs?: string[]): ChildProcess;
export function freePort(): Promise<number>;

export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of each master. */
  nodes: string[];
  /** `true` when a healthy cluster was already running on those ports. */
  reused: boolean;
  /** Shuts the cluster down, if this call started it. */
  stop(): Promise<void>;
}

export function startRedisCluster(options?: { basePort?: number; dir?: string }): Promise<RedisCluster>;
export function stopRedisCluster(options?: { basePort?: number; dir?: string }): Promise<void>;
