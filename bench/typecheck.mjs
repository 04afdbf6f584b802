#!/usr/bin/env node
// What `import '@rc/api'` costs the type-checker: one fixture of 200 calls to documented GET
// operations (paths written as users write them: `~`, ids, some as template literals, each reply
// used), type-checked with and without the import, by `tsc --extendedDiagnostics` on the built
// packages (as a user's project sees them). Each variant runs `--runs` times (default 3), interleaved;
// the figures are medians, and the fastest run of each (times only: the machine's other work only ever
// adds to a run, so on a shared machine the fastest run is the least disturbed). Run after a build: `node bench/typecheck.mjs [--runs 5] [--json out.json]`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'string' },
    calls: { type: 'string', default: '200' },
  },
});
const CALLS = Number(args.calls);
const { allOperations } = await import('@rc/api/operations');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

/** 200 GET operations spread over the whole table (every k-th), as concrete paths. */
function calls() {
  const gets = allOperations().filter((op) => op.method === 'GET');
  const step = gets.length / CALLS;
  const picked = Array.from({ length: CALLS }, (_, i) => gets[Math.floor(i * step)]);
  return picked.map((op, i) => {
    let n = 0;
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name) => {
      n++;
      if (name === 'accountId' || name === 'extensionId') return '~';
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture's source text, a template literal
      return i % 3 === 0 && n === 1 ? '${id}' : '12345';
    });
    const literal = path.includes('${') ? `\`${path}\`` : `'${path}'`;
    return `  const r${i} = await rc.get(${literal}).json();\n  use(r${i});`;
  });
}

function writeFixture(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const body = calls().join('\n');
  const program = (typed) =>
    `${typed ? "import '@rc/api';\n" : ''}import type { RcClient } from '@rc/core';
declare const rc: RcClient;
declare const id: string;
declare function use(value: unknown): void;
export async function main() {
${body}
}
`;
  writeFileSync(join(dir, 'typed.ts'), program(true));
  writeFileSync(join(dir, 'untyped.ts'), program(false));
  const options = {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    skipLibCheck: true,
    exactOptionalPropertyTypes: true,
    types: [],
    lib: ['ES2023', 'DOM'],
  };
  for (const name of ['typed', 'untyped'])
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      JSON.stringify({ compilerOptions: options, files: [`${name}.ts`] }, null, 2),
    );
}

function measure(dir, name) {
  const r = spawnSync(
    process.execPath,
    [tsc, '-p', join(dir, `tsconfig.${name}.json`), '--extendedDiagnostics'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`tsc failed on ${name}.ts:\n${r.stdout}${r.stderr}`);
  const read = (label) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(r.stdout);
    return m ? Number(m[1]) : Number.NaN;
  };
  return {
    checkS: read('Check time'),
    totalS: read('Total time'),
    instantiations: read('Instantiations'),
    memoryK: read('Memory used'),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = join(here, '.typecheck-fixture');
writeFixture(dir);
const runs = { typed: [], untyped: [] };
for (let i = 0; i < Number(args.runs); i++)
  for (const name of i % 2 ? ['typed', 'untyped'] : ['untyped', 'typed']) runs[name].push(measure(dir, name));
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, rs]) => [
    name,
    Object.fromEntries(Object.keys(rs[0]).map((k) => [k, median(rs.map((r) => r[k]))])),
  ]),
);
const fastest = Object.fromEntries(
  Object.entries(runs).map(([name, rs]) => [
    name,
    { totalS: Math.min(...rs.map((r) => r.totalS)), checkS: Math.min(...rs.map((r) => r.checkS)) },
  ]),
);
const ratio = (k) => summary.typed[k] / summary.untyped[k];
const result = {
  calls: CALLS,
  runs: Number(args.runs),
  ...summary,
  ratio: {
    totalS: ratio('totalS'),
    checkS: ratio('checkS'),
    instantiations: ratio('instantiations'),
    memoryK: ratio('memoryK'),
  },
  fastest,
  fastestRatio: {
    totalS: fastest.typed.totalS / fastest.untyped.totalS,
    checkS: fastest.typed.checkS / fastest.untyped.checkS,
  },
};
console.log(`Type-checking ${CALLS} calls (median of ${args.runs} runs, tsc --extendedDiagnostics):`);
for (const name of ['untyped', 'typed'])
  console.log(
    `  ${name.padEnd(8)} total ${summary[name].totalS.toFixed(2)} s, check ${summary[name].checkS.toFixed(2)} s, ${summary[name].instantiations} instantiations, ${Math.round(summary[name].memoryK / 1024)} MB`,
  );
console.log(
  `  typed ÷ untyped: total ${result.ratio.totalS.toFixed(2)}×, check ${result.ratio.checkS.toFixed(2)}×, instantiations ${result.ratio.instantiations.toFixed(2)}×, memory ${result.ratio.memoryK.toFixed(2)}×`,
);
console.log(
  `  fastest runs: untyped ${fastest.untyped.totalS.toFixed(2)} s, typed ${fastest.typed.totalS.toFixed(2)} s: total ${result.fastestRatio.totalS.toFixed(2)}×, check ${result.fastestRatio.checkS.toFixed(2)}×`,
);
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
if (!process.env.KEEP_FIXTURE) rmSync(dir, { recursive: true, force: true });
