#!/usr/bin/env node
// Checks every published package as it would be packed: publint (exports, files, types) and
// arethetypeswrong (the types resolve for ESM consumers under node16 and bundler resolution).
// Needs the packages built (`turbo run build`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', name);
  for (const [cmd, args] of [
    [bin('publint'), ['--strict', '--pack', 'npm']],
    [bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) {
      failed++;
      console.error(`✗ @rc/${name}: ${cmd.split('/').pop()} found problems\n${r.stdout}${r.stderr}`);
    }
  }
}
if (failed) process.exit(1);
console.log('packages: publint and arethetypeswrong found no problems');
