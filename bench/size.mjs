#!/usr/bin/env node
// The browser size budget: @rc/core + @rc/auth-code (with ky and p-limit) bundled by esbuild for
// the browser, minified and gzipped, against bench/size-budget.json. Built
// from the sources (no build needed). `node bench/size.mjs` prints the figures and exits 1 when a
// bundle is over its limit; the `size` vitest project runs the same check in `npm test`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = (pkg) => join(root, 'packages', pkg, 'src', 'index.ts');

const PACKAGES = ['core', 'auth-code', 'auth-password', 'auth-jwt', 'api'];

/** Bytes of one bundle of `entry` (module source importing @rc packages): minified, and gzipped (level 9). */
export async function measure(entry) {
  const result = await build({
    stdin: { contents: entry, resolveDir: join(root, 'packages', 'core'), loader: 'js' },
    alias: {
      '@rc/core/kit': join(root, 'packages', 'core', 'src', 'kit.ts'),
      ...Object.fromEntries(PACKAGES.map((name) => [`@rc/${name}`, src(name)])),
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** Every bundle in the budget file, measured and judged. */
export async function checkBudget() {
  const budget = JSON.parse(readFileSync(join(root, 'bench', 'size-budget.json'), 'utf8'));
  const rows = [];
  for (const [name, { entry, limitGzipBytes, targetGzipBytes }] of Object.entries(budget.bundles)) {
    const size = await measure(entry);
    rows.push({ name, ...size, limitGzipBytes, targetGzipBytes, over: size.gzip > limitGzipBytes });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
  const rows = await checkBudget();
  for (const r of rows) {
    console.log(
      `${r.name}: ${kB(r.gzip)} min+gzip (${kB(r.minified)} minified); limit ${kB(r.limitGzipBytes)}, target ${kB(r.targetGzipBytes)}${r.over ? '  OVER THE LIMIT' : ''}`,
    );
  }
  if (rows.some((r) => r.over)) process.exit(1);
}
