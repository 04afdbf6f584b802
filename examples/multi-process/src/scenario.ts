// runScenario(): one run of the multi-process example. It starts an embedded mock RingCentral
// server, prepares the shared token in Redis, forks the worker processes (the BUILT dist/worker.js:
// plain Node, as in production), lines them up so they all start at once, and counts what the
// token endpoint saw.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { passwordGrant } from '@rc/auth-password';
import { createClient, type RcClient } from '@rc/core';
import { parseTokenResponse } from '@rc/core/kit';
import { redisStore } from '@rc/store-redis';
import { type MockLatency, type MockServer, startMockServer } from '@rc/testing';
import type { FromWorker, ToWorker, WorkerConfig, WorkerReport } from './protocol.js';

export type Scenario = 'invalidated' | 'expired' | 'cold-login';

export interface ScenarioOptions {
  /**
   * - `invalidated`: a valid token is stored and every worker holds it in memory; then the server
   *   invalidates every access token, so the workers' first requests all get 401.
   * - `expired`: the stored token's access token has expired, on the workers' clocks and on the
   *   server's, so every worker must refresh before its first request.
   * - `cold-login`: the store is empty; every worker has the password grant as its unattended grant.
   */
  scenario: Scenario;
  /** @default 8 */
  processes?: number;
  /** Concurrent GETs per process. @default 200 */
  requestsPerProcess?: number;
  /** @default process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' */
  redisUrl?: string;
  /** The store's key namespace; the caller deletes its keys afterwards. @default a random one */
  namespace?: string;
  /** The mock server's delay before each answer. @default { min: 0, max: 150 } */
  latencyMs?: MockLatency;
  /** The whole run's deadline; workers still running then are killed. @default 60_000 */
  deadlineMs?: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  namespace: string;
  /** Password-grant token requests while the workers ran. */
  logins: number;
  /** Refresh-token requests while the workers ran. */
  refreshes: number;
  /** Every request to the token endpoint while the workers ran (logins and refreshes included). */
  tokenRequests: number;
  /** Logins made by the main process to prepare the scenario (before the workers ran). */
  setupLogins: number;
  /** API requests that succeeded / failed, over all workers. */
  ok: number;
  failed: number;
  /** Failed requests by error code. */
  errors: Record<string, number>;
  /** From `go` until the last worker reported, in ms. */
  ms: number;
}

export const WORKER_PATH = fileURLToPath(new URL('../dist/worker.js', import.meta.url));
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Every worker process alive, so that nothing outlives a failed run (or a test). */
const live = new Set<ChildProcess>();

/** Kills every worker process still running (SIGKILL). For tests' afterEach; runScenario does it itself. */
export function killWorkers(): void {
  for (const child of live) child.kill('SIGKILL');
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly report: Promise<WorkerReport>;
}

function startWorker(index: number, config: WorkerConfig): Worker {
  // A bare environment: the worker gets all it needs, secrets included, over IPC.
  const child = fork(WORKER_PATH, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
    env: { PATH: process.env.PATH ?? '' },
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2_000);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`);
    });
  });
  // Child process 'close' fires once stdio is drained: the report line is complete by then.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const failure = (how: string) =>
    new Error(`worker ${index} ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: FromWorker) => {
      if (message.type === 'started') child.send({ type: 'config', config } satisfies ToWorker);
      if (message.type === 'ready') resolve();
    });
    void exited.then((how) => reject(failure(`${how} before it was ready`)));
  });
  const report = (async () => {
    const how = await exited;
    await closed;
    const line = stdout.trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(line) as WorkerReport;
    } catch {
      throw failure(`${how} without a report`);
    }
  })();
  ready.catch(() => {});
  report.catch(() => {});
  return { child, ready, report };
}

/** Rejects with "timed out waiting for <what>" once `deadline` (epoch ms) has passed. */
async function until<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${what}`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Puts the scenario's token (or none) in the store, through a client of the main process. */
async function prepare(scenario: Scenario, rc: RcClient, server: MockServer): Promise<void> {
  const { username, extension, password } = server.user;
  switch (scenario) {
    case 'invalidated':
      // One real login; the server invalidates the token once every worker holds it.
      await rc.authorize(passwordGrant({ username, password, ...(extension ? { extension } : {}) }));
      return;
    case 'expired': {
      // A token the server issued, whose access token has expired for everyone: the clients read
      // `expiresAt` in the past, and the server's clock moves past the access token's lifetime.
      const raw = server.issueToken();
      const issued = parseTokenResponse(raw, Date.now());
      await rc.setToken({ ...issued, expiresAt: Date.now() - 1_000 });
      server.advanceTime(raw.expires_in * 1_000 + 1_000);
      return;
    }
    case 'cold-login': {
      const key = rc.sessionKey;
      if (await rc.getToken()) throw new Error(`cold-login needs an empty store, but "${key}" holds a token`);
      return;
    }
  }
}

/**
 * Runs one scenario: `processes` worker processes, each with its own client on one Redis store,
 * fire `requestsPerProcess` concurrent GETs at the same moment. Returns what the token endpoint
 * saw while they ran, and how many requests succeeded.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const {
    scenario,
    processes = 8,
    requestsPerProcess = 200,
    redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    namespace = `rc-example-multi-process-${randomBytes(4).toString('hex')}`,
    latencyMs = { min: 0, max: 150 },
    deadlineMs = 60_000,
  } = options;
  if (!existsSync(WORKER_PATH))
    throw new Error(`${WORKER_PATH} is missing: build the example first (pnpm run build)`);
  const deadline = Date.now() + deadlineMs;
  const server = await startMockServer({ latencyMs });
  const store = redisStore({ url: redisUrl, namespace });
  const workers: Worker[] = [];
  try {
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      store,
    });
    await prepare(scenario, rc, server);
    const setupLogins = server.stats.byGrant.password ?? 0;
    const { username, extension, password } = server.user;
    const config: WorkerConfig = {
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      redisUrl,
      namespace,
      requests: requestsPerProcess,
      timeoutMs: 15_000,
      // Every worker may log in by itself: in the first two scenarios that must not happen.
      login: { username, password, ...(extension ? { extension } : {}) },
    };
    for (let i = 0; i < processes; i++) workers.push(startWorker(i, config));
    await until(Promise.all(workers.map((w) => w.ready)), deadline, 'the workers to start');

    if (scenario === 'invalidated') server.invalidateAccessTokens();
    server.resetStats();
    const start = performance.now();
    for (const w of workers) w.child.send({ type: 'go' } satisfies ToWorker);
    const reports = await until(Promise.all(workers.map((w) => w.report)), deadline, 'the workers to finish');
    const ms = performance.now() - start;

    const errors: Record<string, number> = {};
    for (const code of reports.flatMap((r) => r.errors)) errors[code] = (errors[code] ?? 0) + 1;
    const byGrant = server.stats.byGrant;
    return {
      scenario,
      namespace,
      logins: byGrant.password ?? 0,
      refreshes: byGrant.refresh_token ?? 0,
      tokenRequests: server.stats.byEndpoint['POST /restapi/oauth/token'] ?? 0,
      setupLogins,
      ok: reports.reduce((n, r) => n + r.ok, 0),
      failed: reports.reduce((n, r) => n + r.failed, 0),
      errors,
      ms,
    };
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.report.catch(() => undefined)));
    await store.close();
    await server.close();
  }
}
