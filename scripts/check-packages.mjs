#!/usr/bin/env node
// Checks every published package (each packages/* folder that is not private) as users get it:
// packed with `pnpm pack` (scripts/pack.mjs), then the tarball is linted with publint (exports,
// files, types), arethetypeswrong (the types resolve for ESM consumers: esm-only profile), and the
// release rules below. Needs the packages built (`turbo run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, root } from './pack.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Every file under `dir`, as paths relative to it. */
function walk(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory()
      ? walk(join(dir, name), `${prefix}${name}/`)
      : [`${prefix}${name}`],
  );
}

/** The release rules publint and attw do not know: what a tarball must and must not hold. */
function releaseProblems(unpacked, source) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push('package.json still holds a workspace: range');
  if (!manifest.repository?.url || !manifest.repository?.directory) {
    problems.push('package.json needs repository { url, directory }');
  }
  if (!manifest.homepage) problems.push('package.json needs homepage');
  if (!manifest.bugs) problems.push('package.json needs bugs');
  // pnpm pack drops `prepack` from the packed manifest: it is checked in the source one.
  if (!/\bbuild\b/.test(source.scripts?.prepack ?? '')) {
    problems.push('package.json needs a prepack script that builds (and refuses an empty dist)');
  }
  // The workspace's scripts (build, typecheck) name files the tarball lacks; .pnpmfile.cjs's
  // beforePacking hook strips them from the packed manifest.
  const scripts = Object.keys(manifest.scripts ?? {});
  if (scripts.length)
    problems.push(`package.json keeps scripts the tarball cannot run: ${scripts.join(', ')}`);
  // One Node floor per package: the README's (`Node 22+`, `Node >= 22`, `Node.js 22 or later`)
  // is the manifest's `engines.node`.
  const floor = /^>=\s*(\d+(?:\.\d+)?)$/.exec(manifest.engines?.node ?? '')?.[1];
  if (!floor) problems.push('package.json needs engines.node as ">=N"');
  const readme = existsSync(join(unpacked, 'README.md'))
    ? readFileSync(join(unpacked, 'README.md'), 'utf8')
    : '';
  for (const [, atLeast, plus] of readme.matchAll(
    /\bNode(?:\.js)?\s+(?:>=\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)(?:\+|\s+or later))/g,
  )) {
    const stated = atLeast ?? plus;
    if (stated !== floor) problems.push(`README says Node ${stated}+, engines.node says >=${floor}`);
  }
  const files = walk(unpacked);
  if (!files.includes('dist/index.js') || !files.includes('dist/index.d.ts')) {
    problems.push('no dist/index.js and dist/index.d.ts');
  }
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8'));
    const sources = map.sources ?? [];
    const shipped = sources.every((_, i) => typeof map.sourcesContent?.[i] === 'string');
    if (!shipped) problems.push(`${file} points at sources that are not shipped (no sourcesContent)`);
  }
  return problems;
}

const work = mkdtempSync(join(tmpdir(), 'rc-check-packages-'));
let failed = 0;
try {
  const packed = await packAll(work);
  for (const pkg of packed) {
    const unpacked = join(work, pkg.folder);
    mkdirSync(unpacked, { recursive: true });
    const untar = spawnSync('tar', ['-xzf', pkg.tarball, '-C', unpacked, '--strip-components=1']);
    const problems =
      untar.status === 0 ? releaseProblems(unpacked, pkg.manifest) : [`tar failed: ${untar.stderr}`];
    if (problems.length) {
      failed++;
      console.error(`✗ ${pkg.name}: ${problems.join('; ')}`);
    }
    for (const [cmd, args] of [
      [bin('publint'), ['run', '--strict', pkg.tarball]],
      [bin('attw'), [pkg.tarball, '--profile', 'esm-only', '--format', 'table-flipped']],
    ]) {
      const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
      // publint reports suggestions with exit code 0; any line it prints beyond its header is one.
      const publintNoise = cmd.endsWith('publint') && /Suggestions|Warnings|Errors/.test(r.stdout);
      if (r.status !== 0 || publintNoise) {
        failed++;
        console.error(`✗ ${pkg.name}: ${cmd.split('/').pop()} found problems\n${r.stdout}${r.stderr}`);
      }
    }
  }
  if (!failed) {
    const names = packed.map((p) => p.name).join(', ');
    console.log(`packages: ${names} — publint, arethetypeswrong and the release rules found no problems`);
  }
} finally {
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
