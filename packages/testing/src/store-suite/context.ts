import type { TokenStore } from '@rc/core';
import { randomNamespace } from './fixtures.js';

/** What the suite receives from the adapter's author (see `tokenStoreTestSuite`). */
export type MakeTokenStore = (options: { namespace: string }) => TokenStore | Promise<TokenStore>;

/** The lock a suite case asks the `loseLock` option to lose. */
export interface LockToLose {
  /** The store instance holding it. */
  readonly store: TokenStore;
  /** Its namespace (the one `makeStore` was given). */
  readonly namespace: string;
  /** The locked session key. */
  readonly key: string;
}

export interface SuiteContextOptions {
  /** Called for every store the case made, once the case is over. */
  close?: ((store: TokenStore) => Promise<void> | void) | undefined;
  /** Lifetime used by expiry cases, in ms. */
  expiryMs?: number | undefined;
  /** How long lock cases wait for a lock that should be free, in ms. */
  lockWaitMs?: number | undefined;
  /** Makes the store lose the lock held on `key` (see the suite's `loseLock` option). */
  loseLock?: ((lock: LockToLose) => Promise<void>) | undefined;
}

/** What one case sees: fresh namespaces and a way to open stores on them. */
export interface SuiteContext {
  /** A namespace no other case or run uses. */
  readonly namespace: string;
  /** The lifetime expiry cases give their tokens, in ms. */
  readonly expiryMs: number;
  /** How long a lock that should be free may take to be acquired, in ms (distributed locks poll). */
  readonly lockWaitMs: number;
  /** Another unused namespace, for isolation cases. */
  newNamespace(): string;
  /**
   * Opens a new store instance on `namespace` (default: the case's own). Two instances on the same
   * namespace must behave like two processes sharing one backend.
   */
  store(namespace?: string): Promise<TokenStore>;
  /** The suite's `loseLock` option, when given. */
  readonly loseLock?: ((lock: LockToLose) => Promise<void>) | undefined;
}

/** One conformance check: a name for the runner and a function that throws when the store fails it. */
export interface SuiteCase {
  readonly name: string;
  run(ctx: SuiteContext): Promise<void>;
}

export const DEFAULT_EXPIRY_MS = 300;
export const DEFAULT_LOCK_WAIT_MS = 2_000;

/**
 * Runs one case with its own namespace, then closes every store it opened. Cleanup happens here,
 * inside the test, rather than in runner hooks, so the suite needs nothing beyond `describe`/`it`.
 * A case's own failure wins over a failure to close.
 */
export async function runCase(
  testCase: SuiteCase,
  makeStore: MakeTokenStore,
  options: SuiteContextOptions = {},
): Promise<void> {
  const opened: TokenStore[] = [];
  const ctx: SuiteContext = {
    namespace: randomNamespace(),
    expiryMs: options.expiryMs ?? DEFAULT_EXPIRY_MS,
    lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    newNamespace: randomNamespace,
    loseLock: options.loseLock,
    async store(namespace = ctx.namespace) {
      const store = await makeStore({ namespace });
      opened.push(store);
      return store;
    },
  };
  let outcome: { error: unknown } | undefined;
  try {
    await testCase.run(ctx);
  } catch (error) {
    outcome = { error };
  }
  const results = await Promise.allSettled(opened.map(async (store) => options.close?.(store)));
  if (outcome) throw outcome.error;
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
