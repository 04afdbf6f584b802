// The Node.js the project runs on. The machines this must work on may come with an older Node
// (Node 20 reached end of life in April 2026; ky 2, vitest 5 and undici 8 need Node 22+), so a
// supported Node is installed from the npm registry's `node` package under .tools/node-<major>/
// when the machine's own is not of the wanted major. Plain Node ESM with no dependencies: it runs
// before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The exact versions fetched when the machine lacks a major (undici 8 needs 22.19 or later). */
export const NODE_VERSIONS = { 22: '22.23.3', 24: '24.21.0' };

const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);
const atLeast = (version, min) => {
  const [a, b, c] = version.replace(/^v/, '').split('.').map(Number);
  const [x, y, z] = min.split('.').map(Number);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
};
const versionOf = (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';

/**
 * The path of a `node` binary of the given major: this process's own when it fits (and is recent
 * enough within the major), else the copy under .tools/, installed with npm when missing.
 * Returns `{ bin, version, source }`.
 */
export function ensureNode(wanted, say = console.log) {
  const pinned = NODE_VERSIONS[wanted];
  if (!pinned) throw new Error(`no pinned version for Node ${wanted}`);
  const floor = wanted === 22 ? '22.19.0' : `${wanted}.0.0`;
  if (major(process.version) === wanted && atLeast(process.version, floor)) {
    return { bin: process.execPath, version: process.version, source: 'this machine' };
  }
  const prefix = join(root, '.tools', `node-${wanted}`);
  const bin = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin) || major(versionOf(bin)) !== wanted) {
    say(`installing Node ${pinned} from the npm registry under .tools/node-${wanted}/`);
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node@${pinned}`],
      { stdio: 'inherit', cwd: root },
    );
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install Node ${pinned}`);
  }
  return { bin, version: versionOf(bin), source: `.tools/node-${wanted}` };
}
