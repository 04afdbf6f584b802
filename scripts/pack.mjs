// Packs every published package (each non-private packages/*/package.json, found by reading the
// folder, so a new package is covered with no list to update) with `pnpm pack`: unlike `npm pack`,
// it rewrites `workspace:` ranges to real versions, so the tarballs install anywhere. Used by
// scripts/check-packages.mjs and by the tarball-install test (examples/tarball-install).
//
// The packages must be built: packing here skips the `prepack` lifecycle script (which rebuilds
// dist/ from scratch) so that packing never deletes a dist/ that tests running alongside are using.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The published packages: `{ name, dir, manifest }` for each non-private packages/* folder. */
export function publishedPackages() {
  const found = [];
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const dir = join(root, 'packages', entry.name);
    const file = join(dir, 'package.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (!manifest.private) found.push({ name: manifest.name, dir, folder: entry.name, manifest });
  }
  return found;
}

/**
 * Packs each published package into `destination` with `pnpm pack` and resolves to
 * `[{ name, dir, folder, manifest, tarball }]`. Throws, naming the package, when one is not built.
 */
export async function packAll(destination) {
  const packages = publishedPackages();
  const missing = packages.filter((p) => !existsSync(join(p.dir, 'dist', 'index.js')));
  if (missing.length) {
    throw new Error(`not built: ${missing.map((p) => p.name).join(', ')} (run \`pnpm build\` first)`);
  }
  const run = promisify(execFile);
  const packed = [];
  // One at a time: pnpm pack is quick without its build, and the machine may be busy.
  for (const pkg of packages) {
    const { stdout } = await run(
      'pnpm',
      ['pack', '--config.ignore-scripts=true', '--json', '--pack-destination', destination],
      { cwd: pkg.dir, env: { ...process.env, npm_config_manage_package_manager_versions: 'false' } },
    );
    packed.push({ ...pkg, tarball: JSON.parse(stdout).filename });
  }
  return packed;
}
