#!/usr/bin/env node
// The README's two commands (`npm run demo`, `npm test`) and `npm run bench` start here. On a fresh
// machine with only Node.js 20 and npm, this installs pnpm locally (corepack's download fails
// signature checks on some machines), installs the workspace, builds it, brings up the services
// the tests need (Redis, Chromium), and runs the task. Each step is skipped when already done.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
const task = process.argv[2];
const rest = process.argv.slice(3);

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

ensurePnpm();
ensureInstalled();

switch (task) {
  case 'demo':
    build('@rc/example-password-grant');
    process.exit(run('node', ['examples/password-grant/dist/main.js', ...rest]));
    break;
  case 'test': {
    build();
    say('type-checking and linting');
    mustRun('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
    mustRun('pnpm', ['exec', 'biome', 'ci', '.']);
    mustRun('node', ['scripts/check-packages.mjs']);
    await ensureServices();
    say('running the test suite');
    process.exit(run('pnpm', ['exec', 'vitest', 'run', ...rest]));
    break;
  }
  case 'bench':
    build();
    process.exit(run('node', ['--expose-gc', 'bench/run.mjs', ...rest]));
    break;
  default:
    console.error('usage: node scripts/run.mjs demo|test|bench');
    process.exit(2);
}
