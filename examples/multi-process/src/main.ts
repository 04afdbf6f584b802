// What you need: Node.js 20 and a Redis at REDIS_URL (default redis://127.0.0.1:6379). It runs
// against an embedded mock RingCentral server (answering in 0–150 ms), which can invalidate tokens
// and move its clock on demand; build first (`pnpm run build`), then `node dist/main.js`, or
// `node dist/main.js invalidated` for one scenario (cold-login, invalidated, expired).
//
// Eight Node processes (dist/worker.js), each with its own client on one Redis token store, fire
// 200 concurrent API calls each, at the same moment, in three situations: an empty store (every
// process can log in by itself), a token the server has just invalidated, and a token that expired.
// Each time the token endpoint sees exactly one request: the first process to take the store's lock
// does the work, the others find its token in Redis. It prints the counts, never a secret.
import { pathToFileURL } from 'node:url';
import { isRcError } from '@rc/core';
import { deleteNamespace } from './redis-keys.js';
import { DEFAULT_REDIS_URL, runScenario, type Scenario, type ScenarioResult } from './scenario.js';

export { deleteNamespace } from './redis-keys.js';
export type { Scenario, ScenarioOptions, ScenarioResult } from './scenario.js';
export { killWorkers, runScenario } from './scenario.js';

const PROCESSES = 8;
const REQUESTS = 200;

const SCENARIOS: { scenario: Scenario; title: string; expect: { logins: number; refreshes: number } }[] = [
  {
    scenario: 'cold-login',
    title: 'Cold start: the store is empty, and every process may log in by itself (password grant).',
    expect: { logins: 1, refreshes: 0 },
  },
  {
    scenario: 'invalidated',
    title: 'Every process holds the stored token; the server has just invalidated it (401 for all).',
    expect: { logins: 0, refreshes: 1 },
  },
  {
    scenario: 'expired',
    title: 'The stored token has expired, on the processes’ clocks and on the server’s.',
    expect: { logins: 0, refreshes: 1 },
  },
];

/** A scenario's result, and whether it is what the example promises. */
export type MainResult = ScenarioResult & { asExpected: boolean };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Runs the scenarios (all three by default) and says what happened; resolves to their results. */
export async function main(
  say: (line: string) => void = console.log,
  env: NodeJS.ProcessEnv = process.env,
  only: readonly string[] = [],
): Promise<MainResult[]> {
  const results: MainResult[] = [];
  try {
    const unknown = only.filter((name) => !SCENARIOS.some((s) => s.scenario === name));
    if (unknown.length > 0)
      throw new Error(
        `unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.scenario).join(', ')})`,
      );
    const chosen = SCENARIOS.filter((s) => only.length === 0 || only.includes(s.scenario));
    const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
    // The host only: a Redis URL may carry a password.
    say(
      `${PROCESSES} worker processes, each with its own client on one Redis token store (${new URL(redisUrl).host}), ` +
        `${REQUESTS} concurrent API calls each, against an embedded mock RingCentral server.`,
    );
    for (const [i, { scenario, title, expect }] of chosen.entries()) {
      say(`${i + 1}. ${title}`);
      const namespace = `rc-example-multi-process-${scenario}-${process.pid}-${Date.now()}`;
      // The run's keys (token, version counter, lock) are deleted whatever happens.
      const result = await runScenario({
        scenario,
        processes: PROCESSES,
        requestsPerProcess: REQUESTS,
        redisUrl,
        namespace,
      }).finally(() => deleteNamespace(redisUrl, namespace).catch(() => undefined));
      const total = result.ok + result.failed;
      say(
        `   The token server saw ${plural(result.logins, 'login')} and ${plural(result.refreshes, 'refresh', 'refreshes')}` +
          ` (${plural(result.tokenRequests, 'token request')} in all).`,
      );
      const failures = Object.entries(result.errors).map(([code, n]) => `${n} × ${code}`);
      say(
        `   ${result.ok} of ${total} API requests succeeded, ${result.failed} failed` +
          `${failures.length ? ` (${failures.join(', ')})` : ''}, in ${(result.ms / 1000).toFixed(1)} s.`,
      );
      const asExpected =
        result.logins === expect.logins &&
        result.refreshes === expect.refreshes &&
        result.tokenRequests === expect.logins + expect.refreshes &&
        result.failed === 0;
      say(
        asExpected
          ? '   As expected: one process did the work, the others used its token from Redis.'
          : `   Unexpected: wanted ${plural(expect.logins, 'login')}, ${plural(expect.refreshes, 'refresh', 'refreshes')} and no failure.`,
      );
      results.push({ ...result, asExpected });
    }
    say('Done.');
    return results;
  } catch (error) {
    // RcError messages never hold a secret, so they are safe to print.
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(console.log, process.env, process.argv.slice(2)).then(
    (results) => {
      if (results.some((r) => !r.asExpected)) process.exitCode = 1;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
