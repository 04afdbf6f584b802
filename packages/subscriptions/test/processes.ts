import { fileURLToPath } from 'node:url';
import type { MockServer } from '@rc/testing';
import { bundleScript, type Child, startChild as start } from '../../../test-support/child-process.js';
import { mockLogin } from '../../../test-support/mock-client.js';
import { FAST } from './helpers.js';

// Real subscriber processes for the restart, failover and exit tests: test/fixtures/child.ts,
// bundled once per test file and run by the shared child-process harness (test-support/).

export type { Child, ChildLine } from '../../../test-support/child-process.js';
export { killChildren } from '../../../test-support/child-process.js';

const outfile = fileURLToPath(new URL('../node_modules/.cache/rc-subscriptions-child.mjs', import.meta.url));
let built: Promise<string> | undefined;

/** Starts a subscriber process against `mock`; its JSON lines are collected. */
export async function startChild(
  mock: MockServer,
  config: { mode: 'exit' | 'redis'; redisUrl?: string; namespace?: string; key?: string },
): Promise<Child> {
  built ??= bundleScript(fileURLToPath(new URL('./fixtures/child.ts', import.meta.url)), outfile);
  return start(await built, {
    env: {
      RC_CHILD: JSON.stringify({
        ...mockLogin(mock),
        // Looser than in-process FAST: three Node processes share two cores with the test runner,
        // and a lease renewal delayed past its TTL would hand the connection over for no reason.
        timings: { ...FAST, leaseTtlMs: 2_000, heartbeatTimeoutMs: 2_000 },
        ...config,
      }),
    },
  });
}
