// Real child processes for tests (a killed lock holder, a restarted subscriber, three renewers on
// one Redis): a script bundled with esbuild from our packages' sources, as vitest resolves them (no
// build of the packages needed), run with this Node; the JSON lines it prints are collected. One
// harness for every suite that needs one. Test-only, imported by path; never published.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { waitFor } from './wait.js';

const src = (path: string) => fileURLToPath(new URL(`../packages/${path}`, import.meta.url));
const PACKAGES = [
  'core',
  'auth-password',
  'auth-jwt',
  'store-memory',
  'store-redis',
  'subscriptions',
  'webhooks',
];
const ALIASES = {
  '@rc/core/kit': src('core/src/kit.ts'),
  '@rc/core/multipart': src('core/src/multipart.ts'),
  ...Object.fromEntries(PACKAGES.map((p) => [`@rc/${p}`, src(`${p}/src/index.ts`)])),
};

/** A script file, or a script's text with the folder its imports resolve from. */
export type Script = string | { contents: string; resolveDir: string };

/** Bundles `script` into `outfile` (ESM for Node; our packages from their sources) and returns its path. */
export async function bundleScript(script: Script, outfile: string): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    ...(typeof script === 'string' ? { entryPoints: [script] } : { stdin: { ...script, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'error',
    alias: ALIASES,
    // Bundled CommonJS dependencies (node-redis) call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outfile;
}

/** A line the child printed: JSON with at least a `type`. */
export interface ChildLine {
  type: string;
  [key: string]: unknown;
}

export interface Child {
  readonly process: ChildProcess;
  /** Every line printed so far, in order. */
  readonly lines: ChildLine[];
  /** Resolves with the exit code (or signal) once the process ends. */
  readonly exited: Promise<number | string>;
  /** The first line matching `predicate`, waited for up to `ms`; fails early if the child exits. */
  waitFor(predicate: (line: ChildLine) => boolean, ms: number, what: string): Promise<ChildLine>;
}

const running = new Set<ChildProcess>();

/** Runs a bundled script with this Node (`env` on top of PATH alone); its stdout is read as JSON lines. */
export function startChild(
  file: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Child {
  const child = spawn(process.execPath, [file, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: ChildLine[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i).trim();
      buffer = buffer.slice(i + 1);
      if (line) lines.push(JSON.parse(line) as ChildLine);
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
        () => lines.some(predicate) || child.exitCode !== null || child.signalCode !== null,
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
