import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureRedis } from '../../../scripts/services/redis.mjs';
import { deleteNamespace, killWorkers, runScenario } from '../src/main.js';
import { WORKER_PATH } from '../src/scenario.js';

// The proof that the token manager holds across processes: 8 Node processes (the built
// dist/worker.js), each with its own client on one Redis store, 200 concurrent GETs each, against
// a mock server answering in 0–150 ms. The token endpoint must see exactly one request.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROCESSES = 8;
const REQUESTS = 200;
let namespace: string;

beforeAll(async () => {
  expect(existsSync(WORKER_PATH), 'build the examples first (npm test does)').toBe(true);
  await ensureRedis(redisUrl);
});
beforeEach(() => {
  namespace = `rc-test-multi-process-${randomBytes(5).toString('hex')}`;
});
afterEach(async () => {
  killWorkers();
  await deleteNamespace(redisUrl, namespace);
});

const run = (scenario: 'invalidated' | 'expired' | 'cold-login') =>
  runScenario({ scenario, processes: PROCESSES, requestsPerProcess: REQUESTS, redisUrl, namespace });

describe('examples/multi-process: 8 processes share one token through Redis', () => {
  it.each([
    { scenario: 'invalidated' as const, what: 'a token the server has just invalidated', setupLogins: 1 },
    { scenario: 'expired' as const, what: 'a token expired by time (clients and server)', setupLogins: 0 },
  ])(
    '$what: exactly 1 refresh, 0 failed requests',
    async ({ scenario, setupLogins }) => {
      const r = await run(scenario);
      // 'invalidated': the main process logged in once, before the workers started.
      expect(r.setupLogins).toBe(setupLogins);
      expect(r).toMatchObject({
        refreshes: 1,
        logins: 0,
        tokenRequests: 1,
        failed: 0,
        ok: PROCESSES * REQUESTS,
      });
    },
    60_000,
  );

  it('an empty store, passwordGrant as the unattended grant, 8 processes at once: exactly 1 login', async () => {
    const r = await run('cold-login');
    expect(r).toMatchObject({
      logins: 1,
      refreshes: 0,
      tokenRequests: 1,
      failed: 0,
      ok: PROCESSES * REQUESTS,
    });
  }, 60_000);

  it('the built example (node dist/main.js) prints the counts in plain words, and no secret', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [entry, 'invalidated'], {
      env: { PATH: process.env.PATH, REDIS_URL: redisUrl },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/The token server saw 0 logins and 1 refresh \(1 token request in all\)\./);
    expect(stdout).toMatch(/1600 of 1600 API requests succeeded, 0 failed/);
    expect(stdout).toMatch(/As expected/);
    expect(stdout).toMatch(/Done\./);
    for (const secret of ['mock-password', 'mock-client-secret', 'Bearer', 'access_token'])
      expect(stdout).not.toContain(secret);
  }, 60_000);
});
