// What the bench's drivers share (run.mjs, observe-baseline.mjs): the Node the trials run on, a
// trial in a fresh process that answers with one JSON line, the mock in a process of its own, and
// medians.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');

/** The Node binary trials and the mock run on: `wanted` (22|24|path), else BENCH_NODE, else Node 24 under .tools/. */
export function nodeBinary(wanted = process.env.BENCH_NODE ?? '24') {
  if (/^\d+$/.test(wanted)) {
    const bin = join(root, '.tools', `node-${wanted}`, 'node_modules', '.bin', 'node');
    if (existsSync(bin)) return bin;
    if (process.versions.node.split('.')[0] === wanted) return process.execPath;
    console.error(
      `[bench] no Node ${wanted} at ${bin} (npm install --prefix .tools/node-${wanted} node@${wanted})`,
    );
    process.exit(2);
  }
  return wanted;
}

/** Runs `node <args>` (in bench/) and resolves with the JSON on its last stdout line. */
export function runJson(node, nodeArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, nodeArgs, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1);
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`${nodeArgs.join(' ').slice(0, 200)}: ${error.message}\n${err.slice(-2000)}`));
      }
    });
  });
}

/** The mock (mock-process.mjs) in its own process: `{ mock, stop }`. */
export async function startMock(node) {
  const child = spawn(node, ['mock-process.mjs'], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value]);
  return { mock: JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Each field's median over rounds of `{ field: number }`. */
export const medians = (runs) =>
  Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));

export const say = (msg) => process.stderr.write(`\x1b[2m[bench] ${msg}\x1b[0m\n`);
