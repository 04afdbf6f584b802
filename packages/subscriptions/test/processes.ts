import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@rc/testing';
import { build } from 'esbuild';
import { FAST, waitFor } from './helpers.js';

// Real child processes for the restart, failover and exit tests: test/fixtures/child.ts bundled
// once with esbuild (our packages from src/, as vitest resolves them), run with this Node.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const src = (pkg: string) => `${root}packages/${pkg}/src/index.ts`;
const outfile = fileURLToPath(new URL('../node_modules/.cache/rc-subscriptions-child.mjs', import.meta.url));
let built: Promise<string> | undefined;

/** Bundles the child script (once per test file). */
export function buildChild(): Promise<string> {
  built ??= (async () => {
    mkdirSync(fileURLToPath(new URL('../node_modules/.cache/', import.meta.url)), { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/child.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'silent',
      alias: {
        '@rc/core/kit': src('core').replace(/index\.ts$/, 'kit.ts'),
        '@rc/core': src('core'),
        '@rc/auth-password': src('auth-password'),
        '@rc/store-redis': src('store-redis'),
        '@rc/subscriptions': src('subscriptions'),
      },
      // Bundled CommonJS dependencies (node-redis) call require(): give the ESM bundle one.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    return outfile;
  })();
  return built;
}

export interface ChildLine {
  pid: number;
  type: string;
  [key: string]: unknown;
}

export interface Child {
  readonly process: ChildProcess;
  readonly lines: ChildLine[];
  /** Resolves with the exit code (or signal) once the process ends. */
  readonly exited: Promise<number | string>;
  waitFor(predicate: (line: ChildLine) => boolean, ms: number, what: string): Promise<ChildLine>;
}

const running = new Set<ChildProcess>();

/** Starts a subscriber process against `mock`; its JSON lines are collected. */
export async function startChild(
  mock: MockServer,
  config: { mode: 'exit' | 'redis'; redisUrl?: string; namespace?: string; key?: string },
): Promise<Child> {
  const file = await buildChild();
  const child = spawn(process.execPath, [file], {
    env: {
      PATH: process.env.PATH ?? '',
      RC_CHILD: JSON.stringify({
        mockUrl: mock.url,
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        username: mock.user.username,
        password: mock.user.password,
        // Looser than in-process FAST: three Node processes share two cores with the test runner,
        // and a lease renewal delayed past its TTL would hand the connection over for no reason.
        timings: { ...FAST, leaseTtlMs: 2_000, heartbeatTimeoutMs: 2_000 },
        ...config,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: ChildLine[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.trim()) lines.push(JSON.parse(line) as ChildLine);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    process: child,
    lines,
    exited,
    async waitFor(predicate, ms, what) {
      await waitFor(
        () => lines.some(predicate) || child.exitCode !== null,
        ms,
        `${what} (stderr: ${stderr.slice(-500)})`,
      );
      const found = lines.find(predicate);
      if (!found) throw new Error(`the child exited before ${what}: ${stderr.slice(-1000)}`);
      return found;
    },
  };
}

/** Kills every child still running (for afterEach). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
