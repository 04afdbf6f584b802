#!/usr/bin/env node
// The README's two commands (`npm run demo`, `npm test`), `npm run bench` and `npm run docs` start here. On a fresh
// machine with only Node.js (20 or later) and npm, this installs Node 24 (and Node 22 for the
// tests) from the npm registry when the machine lacks them, installs pnpm locally (corepack's
// download fails signature checks on some machines), installs the workspace, builds it, brings up
// the services the tests need (Redis, Chromium), and runs the task: everything on Node 24, and the
// test suite once on Node 22 and once on Node 24. Each step is skipped when already done.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode } from './node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
const task = process.argv[2];
// `--node 22` (bench, test) picks one Node major instead of the default.
const args = process.argv.slice(3);
const nodeFlag = args.indexOf('--node');
const nodeMajors =
  nodeFlag === -1
    ? undefined
    : String(args[nodeFlag + 1] ?? '')
        .split(',')
        .map(Number)
        .filter(Boolean);
const rest = nodeFlag === -1 ? args : [...args.slice(0, nodeFlag), ...args.slice(nodeFlag + 2)];

const say = (msg) => console.log(`\x1b[2m[rc] ${msg}\x1b[0m`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
function mustRun(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`[rc] ${cmd} ${args.join(' ')} failed with exit code ${status}`);
    process.exit(status);
  }
}
const works = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'ignore' }).status === 0;

/** pnpm 10 on PATH: the machine's own, else a copy installed under .tools/ with npm. */
function ensurePnpm() {
  const tools = join(root, '.tools', 'node_modules', '.bin');
  process.env.PATH = `${tools}${delimiter}${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`;
  const version = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (version.startsWith('10.')) return;
  say(`installing pnpm ${PNPM_VERSION} under .tools/`);
  mustRun('npm', [
    'install',
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--prefix',
    join(root, '.tools'),
    `pnpm@${PNPM_VERSION}`,
  ]);
}

/** `pnpm install`, when the lockfile changed since the last install. */
function ensureInstalled() {
  const stamp = join(root, 'node_modules', '.rc-install-stamp');
  const hash = createHash('sha256')
    .update(readFileSync(join(root, 'pnpm-lock.yaml')))
    .digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  say('installing dependencies');
  mustRun('pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);
  writeFileSync(stamp, hash);
}

/** Builds everything, or only `filter` and what it depends on (turbo's `pkg...` syntax). */
function build(filter) {
  say(filter ? `building ${filter} and what it needs` : 'building packages and examples');
  mustRun('pnpm', [
    'exec',
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    ...(filter ? [`--filter=${filter}...`] : []),
  ]);
}

/** Debian's chromium for the browser tests, installed when missing. */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return;
  if (existsSync('/usr/bin/chromium')) {
    process.env.CHROMIUM_PATH = '/usr/bin/chromium';
    return;
  }
  if (!works('apt-get', ['--version'])) {
    say('no chromium and no apt-get: the browser tests will say so and fail');
    return;
  }
  say('installing chromium from Debian');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) =>
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update', '-qq']);
  if (apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']) !== 0) process.exit(1);
  process.env.CHROMIUM_PATH = '/usr/bin/chromium';
}

async function ensureServices() {
  const { ensureRedis } = await import('./services/redis.mjs');
  await ensureRedis();
  ensureChromium();
}

/** Puts a Node of the given major first on PATH (pnpm, turbo, vitest and child processes use it). */
function useNode(wanted) {
  const node = ensureNode(wanted, say);
  process.env.PATH = `${dirname(node.bin)}${delimiter}${process.env.PATH}`;
  return node;
}
const withNode = (bin) => ({ ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH}` });

/** Runs vitest on each Node major; each run ends in its summary line, then one combined line. */
function testOnEach(majors) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-summary-'));
  const results = [];
  try {
    for (const [i, wanted] of majors.entries()) {
      const node = ensureNode(wanted, say);
      const file = join(dir, `node-${wanted}.json`);
      say(`running the test suite on Node ${node.version} (${node.source})`);
      // `*.typecheck.test.ts` run the TypeScript compiler on fixtures: their outcome does not depend
      // on the Node that runs them, so they run in the first run only.
      const once = i === 0 ? [] : ['--exclude', '**/*.typecheck.test.ts'];
      const status = run('pnpm', ['exec', 'vitest', 'run', ...once, ...rest], {
        env: { ...withNode(node.bin), RC_SUMMARY_FILE: file },
      });
      const summary = existsSync(file)
        ? JSON.parse(readFileSync(file, 'utf8'))
        : { passed: 0, failed: 1, skipped: 0, node: node.version };
      results.push({ ...summary, status });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed + (r.status !== 0 && r.failed === 0 ? 1 : 0), 0);
  const nodes = results.map((r) => `Node ${r.node}`).join(' and ');
  console.log(`\nAll tests (${nodes}): ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

ensurePnpm();
const node = useNode(24);
say(`using Node ${node.version} (${node.source})`);
ensureInstalled();

switch (task) {
  case 'demo':
    build('@rc/example-jwt-grant');
    process.exit(run('node', ['examples/jwt-grant/dist/main.js', ...rest]));
    break;
  case 'test': {
    // Node-independent checks, once: the generated API types match the description, types, lint.
    say('checking that the generated API files are up to date');
    mustRun('node', ['scripts/api/generate.mjs', '--check']);
    build();
    say('type-checking and linting');
    mustRun('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
    mustRun('pnpm', ['exec', 'biome', 'ci', '.']);
    mustRun('node', ['scripts/check-packages.mjs']);
    await ensureServices();
    process.exit(testOnEach(nodeMajors ?? [22, 24]));
    break;
  }
  case 'docs':
    // typedoc reads each package's src/index.ts; sibling imports resolve to their built types.
    build();
    process.exit(run('pnpm', ['exec', 'typedoc', ...rest]));
    break;
  case 'bench': {
    build();
    const bench = ensureNode(nodeMajors?.[0] ?? 24, say);
    say(`benchmarking on Node ${bench.version}`);
    // BENCH_NODE: the trials and the mock run on this Node too (bench/run.mjs reads it).
    process.exit(
      run(bench.bin, ['--expose-gc', 'bench/run.mjs', ...rest], {
        env: { ...withNode(bench.bin), BENCH_NODE: bench.bin },
      }),
    );
    break;
  }
  default:
    console.error('usage: node scripts/run.mjs demo|test|bench|docs');
    process.exit(2);
}
