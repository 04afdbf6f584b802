import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against each package's src/ (no build needed): the aliases below map the public
// package names to their source entry points, exactly as `exports` maps them to dist/.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const alias = {
  '@rc/core/kit': fileURLToPath(new URL('./packages/core/src/kit.ts', import.meta.url)),
  '@rc/core/multipart': fileURLToPath(new URL('./packages/core/src/multipart.ts', import.meta.url)),
  '@rc/core': src('core'),
  '@rc/auth-password': src('auth-password'),
  '@rc/auth-jwt': src('auth-jwt'),
  '@rc/auth-code': src('auth-code'),
  '@rc/store-memory': src('store-memory'),
  '@rc/store-redis': src('store-redis'),
  '@rc/transport-undici': src('transport-undici'),
  '@rc/testing/store-suite': fileURLToPath(
    new URL('./packages/testing/src/store-suite/index.ts', import.meta.url),
  ),
  '@rc/testing': src('testing'),
  '@rc/subscriptions': src('subscriptions'),
  '@rc/webhooks': src('webhooks'),
  '@rc/api/operations': fileURLToPath(new URL('./packages/api/src/operations.ts', import.meta.url)),
  '@rc/api': src('api'),
  '@rc/otel': src('otel'),
};

// The mock's response oracle, in every project: a reply outside RingCentral's description fails the run.
const schemaOracle = fileURLToPath(
  new URL('./packages/testing/test/schema-oracle.global-setup.ts', import.meta.url),
);

// `extends: true`: each project inherits the root test options below (timeouts, reporters).
const project = (
  name: string,
  dir: string,
  extra: { globalSetup?: string[]; [key: string]: unknown } = {},
) => ({
  extends: true as const,
  resolve: { alias },
  test: {
    name,
    root: fileURLToPath(new URL(`./${dir}`, import.meta.url)),
    include: dir === 'examples' ? ['*/test/**/*.test.ts'] : ['test/**/*.test.ts'],
    ...extra,
    globalSetup: [schemaOracle, ...(extra.globalSetup ?? [])],
  },
});

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Two test files at a time even on two cores (vitest's default there is one): most long tests
    // wait on timers, servers and child processes rather than the CPU, and this halves the suite.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project('core', 'packages/core'),
      project('auth-password', 'packages/auth-password'),
      project('auth-jwt', 'packages/auth-jwt'),
      project('auth-code', 'packages/auth-code'),
      project('store-memory', 'packages/store-memory'),
      project('store-redis', 'packages/store-redis', {
        globalSetup: [fileURLToPath(new URL('./packages/store-redis/test/global-setup.ts', import.meta.url))],
      }),
      project('transport-undici', 'packages/transport-undici'),
      // Core's request-path tests again, with undiciFetch() as the transport (see the setup file).
      project('core-over-undici', 'packages/core', {
        include: [
          'test/requests.test.ts',
          'test/refresh.test.ts',
          'test/storm.test.ts',
          'test/plugins.test.ts',
          'test/rate-limit.test.ts',
          'test/token-reuse.test.ts',
          'test/errors.test.ts',
          'test/redirects.test.ts',
        ],
        setupFiles: [
          fileURLToPath(new URL('./packages/transport-undici/test/global-fetch.setup.ts', import.meta.url)),
        ],
      }),
      project('api', 'packages/api'),
      project('otel', 'packages/otel'),
      project('testing', 'packages/testing'),
      project('subscriptions', 'packages/subscriptions'),
      project('webhooks', 'packages/webhooks'),
      project('examples', 'examples'),
      // The browser size budget (bench/size-budget.json), not a timing: sizes are deterministic.
      project('size', 'bench'),
    ],
  },
});
