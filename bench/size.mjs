#!/usr/bin/env node
// The browser size budget: @rc/core + @rc/auth-code (with ky and p-limit) bundled by esbuild for
// the browser, minified and gzipped, against bench/size-budget.json. Built
// from the sources (no build needed). `node bench/size.mjs` prints the figures and exits 1 when a
// bundle is over its limit (`--meta`: also each bundle's largest inputs, from esbuild's metafile); the `size` vitest project runs the same check in `npm test`.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = (pkg) => join(root, 'packages', pkg, 'src', 'index.ts');

const PACKAGES = ['core', 'auth-code', 'auth-password', 'auth-jwt', 'api'];

/**
 * Bytes of one bundle of `entry` (module source importing @rc packages): minified, and gzipped
 * (level 9). Code behind a dynamic import() goes into chunks of its own (esbuild's splitting, as a
 * browser app's bundler does), loaded only when called: the figures are what the app loads at start
 * (the entry and the chunks it imports statically); `lazy` is the minified bytes of the other chunks.
 */
export async function measure(entry, { metafile = false } = {}) {
  const result = await build({
    stdin: { contents: entry, resolveDir: join(root, 'packages', 'core'), loader: 'js' },
    alias: {
      '@rc/core/kit': join(root, 'packages', 'core', 'src', 'kit.ts'),
      '@rc/core/multipart': join(root, 'packages', 'core', 'src', 'multipart.ts'),
      ...Object.fromEntries(PACKAGES.map((name) => [`@rc/${name}`, src(name)])),
    },
    bundle: true,
    splitting: true,
    outdir: join(root, 'bench', '.size-out'),
    metafile: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const files = new Map(
    result.outputFiles.map((f) => [relative(root, f.path).replaceAll('\\', '/'), f.contents]),
  );
  const start = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined);
  const initial = new Set();
  const visit = (name) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const i of outputs[name].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(start);
  const code = Buffer.concat([...initial].map((name) => files.get(name)));
  let lazy = 0;
  for (const [name, contents] of files) if (!initial.has(name)) lazy += contents.byteLength;
  const inputs = {};
  for (const name of initial) {
    for (const [path, { bytesInOutput }] of Object.entries(outputs[name].inputs))
      inputs[path] = (inputs[path] ?? 0) + bytesInOutput;
  }
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    lazy,
    ...(metafile ? { inputs } : {}),
  };
}

/** The inputs of one bundle by their minified bytes in it, largest first, and per package (`node bench/size.mjs --meta`). */
function printTopInputs(inputs, count = 25) {
  const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
  const rows = Object.entries(inputs);
  const byPackage = new Map();
  for (const [path, bytes] of rows) {
    const pkg =
      /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
      /packages\/([^/]+)/.exec(path)?.[1] ??
      path;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytes);
  }
  console.log(
    `  per package (minified): ${[...byPackage]
      .sort((a, b) => b[1] - a[1])
      .map(([p, b]) => `${p} ${kB(b)}`)
      .join(', ')}`,
  );
  for (const [path, bytes] of rows.sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(
      `  ${kB(bytes).padStart(8)}  ${path.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')}`,
    );
  }
}

/** Every bundle in the budget file, measured and judged. */
export async function checkBudget(options) {
  const budget = JSON.parse(readFileSync(join(root, 'bench', 'size-budget.json'), 'utf8'));
  const rows = [];
  for (const [name, { entry, limitGzipBytes, targetGzipBytes }] of Object.entries(budget.bundles)) {
    const size = await measure(entry, options);
    rows.push({ name, ...size, limitGzipBytes, targetGzipBytes, over: size.gzip > limitGzipBytes });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
  const meta = process.argv.includes('--meta');
  const rows = await checkBudget({ metafile: meta });
  for (const r of rows) {
    console.log(
      `${r.name}: ${kB(r.gzip)} min+gzip (${kB(r.minified)} minified, ${kB(r.lazy)} more loaded on demand); limit ${kB(r.limitGzipBytes)}, target ${kB(r.targetGzipBytes)}${r.over ? '  OVER THE LIMIT' : ''}`,
    );
    if (meta) printTopInputs(r.inputs);
  }
  if (rows.some((r) => r.over)) process.exit(1);
}
