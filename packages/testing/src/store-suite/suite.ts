// The conformance suite's runner: checks the options, then registers each group of cases
// (data, expiry, lock, lease, penalties, state) with the test runner given.
import { ConfigError, type TokenStore } from '@rc/core';
import { checkOptions } from '@rc/core/kit';
import { budgetCases } from './cases-budget.js';
import { dataCases } from './cases-data.js';
import { expiryCases } from './cases-expiry.js';
import { leaseCases, lostLeaseCase } from './cases-lease.js';
import { lockCases } from './cases-lock.js';
import { penaltyCases } from './cases-penalties.js';
import { stateCases, stateShapeCase } from './cases-state.js';
import {
  DEFAULT_EXPIRY_MS,
  DEFAULT_LOCK_WAIT_MS,
  type LockToLose,
  type MakeTokenStore,
  runCase,
  type SuiteCase,
} from './context.js';

export type { LockToLose, MakeTokenStore } from './context.js';

/**
 * The parts of a test runner the suite uses. vitest, jest, mocha and `node:test` all fit as they
 * are: pass `{ describe, it }`. The hooks are accepted (so a runner's whole API object fits) but
 * never called: the suite cleans up inside each test.
 */
export interface TestApi {
  /** Groups tests, as the runner's `describe` does. */
  describe(name: string, fn: () => void): unknown;
  /** Registers a test, as the runner's `it` does; `timeout` is passed when the suite was given one. */
  it(name: string, fn: () => Promise<void>, timeout?: number): unknown;
  /** Accepted, never called. */
  beforeEach?: ((fn: () => unknown) => unknown) | undefined;
  /** Accepted, never called. */
  afterEach?: ((fn: () => unknown) => unknown) | undefined;
  /** Accepted, never called. */
  afterAll?: ((fn: () => unknown) => unknown) | undefined;
}

/** Options of {@link tokenStoreTestSuite}. */
export interface TokenStoreTestSuiteOptions {
  /**
   * Title of the outer `describe` block.
   * @default 'TokenStore conformance'
   */
  name?: string | undefined;
  /**
   * Closes a store the suite made (e.g. `(store) => store.close()` for a store holding
   * connections). Called for every store, after each test, even a failed one.
   */
  close?: ((store: TokenStore) => Promise<void> | void) | undefined;
  /**
   * How short a lifetime, in ms, the expiry tests give tokens (each sleeps a little longer). Raise
   * it for a remote backend whose clock or latency makes 300 ms too tight.
   * @default 300
   */
  expiryMs?: number | undefined;
  /**
   * How long, in ms, the lock tests wait for a lock that should be free before they fail (the
   * contention test allows five times this for all its holders). Raise it for a distributed lock
   * that polls slowly; a lock that is never released fails after this long instead of hanging.
   * @default 2000
   */
  lockWaitMs?: number | undefined;
  /**
   * The store implements the optional `penalties` capability (rate-limit penalties shared by
   * everyone on the store, `SharedPenalties` in @rc/core): run its cases too. A store without it
   * leaves this out; its clients then hold penalties in their own process only.
   * @default false
   */
  penalties?: boolean | undefined;
  /**
   * The store implements the optional `budget` capability (one rate-limit budget per group for
   * everyone on the store, `SharedBudget` in @rc/core): run its cases too.
   * @default false
   */
  budget?: boolean | undefined;
  /**
   * Per-test timeout in ms, passed as `it`'s third argument (vitest, jest). Left out by default,
   * because `node:test`'s `it` takes options there instead; the suite's own waits are bounded anyway.
   */
  timeout?: number | undefined;
  /**
   * `true` when the store implements core's optional `StateStore` capability (state records and
   * leases, used by `@rc/subscriptions`): its cases are then registered too. Every store is checked
   * to implement all of its methods or none.
   * @default false
   */
  state?: boolean | undefined;
  /**
   * Makes the store lose the lock held on `lock.key` (in `lock.namespace`), as an expiry or a takeover would (e.g. delete the
   * lock's entry in the backend). When given, the suite also checks that a lock lost while held
   * ends the lease: its signal aborts and its writes are refused. Leave it out for a store whose
   * lock cannot be lost (one in process memory).
   */
  loseLock?: ((lock: LockToLose) => Promise<void>) | undefined;
}

const groups: ReadonlyArray<[string, readonly SuiteCase[]]> = [
  ['get, set and delete', dataCases],
  ['expiry', expiryCases],
  ['withLock', lockCases],
];

/**
 * Registers a conformance suite for a {@link TokenStore} with your test runner: the store round-trips
 * TokenSets exactly, isolates keys and namespaces, shares data between instances on one namespace,
 * expires entries with the refresh token, and its `withLock` excludes, releases on error and does not
 * block the holder's own reads and writes, and hands its holder a lease that ends with the lock (its
 * signal aborts, its writes are refused). Assertions use `node:assert/strict`, so any runner works.
 *
 * `makeStore({ namespace })` is called for every store a test needs. Two calls with the same
 * namespace must give stores that share data and locks (as two processes on one Redis do); different
 * namespaces must be isolated. The suite picks fresh random namespaces, so runs never collide and
 * can share one backend.
 *
 * @example
 * import Keyv from 'keyv';
 * import { describe, it } from 'vitest'; // or 'node:test', or jest/mocha globals
 * import { tokenStoreTestSuite } from '@rc/testing';
 * import { memoryStore } from '@rc/store-memory';
 *
 * const keyv = new Keyv(); // one backend for every store the suite makes: namespaces keep them apart
 * tokenStoreTestSuite({ describe, it }, ({ namespace }) => memoryStore({ namespace, keyv }), {
 *   name: 'memoryStore',
 *   // for a store holding connections: close: (store) => (store as RedisTokenStore).close(),
 * });
 */
export function tokenStoreTestSuite(
  test: TestApi,
  makeStore: MakeTokenStore,
  options: TokenStoreTestSuiteOptions = {},
): void {
  checkOptions(
    options,
    ['name', 'close', 'expiryMs', 'lockWaitMs', 'penalties', 'budget', 'timeout', 'state', 'loseLock'],
    'tokenStoreTestSuite()',
  );
  const {
    name = 'TokenStore conformance',
    close,
    expiryMs = DEFAULT_EXPIRY_MS,
    lockWaitMs = DEFAULT_LOCK_WAIT_MS,
    penalties = false,
    budget = false,
    timeout,
    state = false,
    loseLock,
  } = options;
  if (typeof test?.describe !== 'function' || typeof test.it !== 'function') {
    throw new ConfigError(
      'tokenStoreTestSuite: `test` must provide describe() and it(), e.g. { describe, it }',
      'test',
    );
  }
  if (typeof makeStore !== 'function')
    throw new ConfigError('tokenStoreTestSuite: `makeStore` must be a function', 'makeStore');
  if (loseLock !== undefined && typeof loseLock !== 'function')
    throw new ConfigError('tokenStoreTestSuite: `loseLock` must be a function when given', 'loseLock');
  for (const [option, ms] of [
    ['expiryMs', expiryMs],
    ['lockWaitMs', lockWaitMs],
  ] as const) {
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new ConfigError(
        `tokenStoreTestSuite: \`${option}\` must be a positive number of milliseconds`,
        option,
      );
    }
  }
  test.describe(name, () => {
    const all: ReadonlyArray<readonly [string, readonly SuiteCase[]]> = [
      ...groups,
      ['the lease withLock hands its holder', loseLock ? [...leaseCases, lostLeaseCase] : leaseCases],
      ['state records and leases', state ? [stateShapeCase, ...stateCases] : [stateShapeCase]],
      ...(penalties ? [['penalties', penaltyCases] as const] : []),
      ...(budget ? [['budget', budgetCases] as const] : []),
    ];
    for (const [group, cases] of all) {
      test.describe(group, () => {
        for (const testCase of cases) {
          const fn = () => runCase(testCase, makeStore, { close, expiryMs, lockWaitMs, loseLock });
          if (timeout === undefined) test.it(testCase.name, fn);
          else test.it(testCase.name, fn, timeout);
        }
      });
    }
  });
}
