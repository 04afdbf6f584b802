// `npm run bench`: @rc against raw undici, the global fetch, plain ky and the other RingCentral
// clients, side by side in one run on one mock server (in its own process). Every trial runs in a
// fresh process; rounds interleave the contenders (in a rotating order) and each figure is the
// median of its rounds. Prints ratio tables and writes docs/benchmarks.md (one section per Node
// major, from bench/results/node-<major>.json).
//
//   npm run bench                  Node 24 (.tools/node-24), full run (about 3–5 minutes)
//   npm run bench -- --node 22     Node 22 (.tools/node-22); or --node /path/to/node
//   npm run bench -- --quick       one round, fewer requests (about a minute)
//   BENCH_NODE=/path/to/node       the same as --node
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, table, versions, writeMarkdown } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    node: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

/** The Node binary trials and the mock run on: --node 22|24|path, else BENCH_NODE, else Node 24 under .tools/. */
function nodeBinary() {
  const wanted = args.node ?? process.env.BENCH_NODE ?? '24';
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

const NODE = nodeBinary();
const config = args.quick
  ? {
      rounds: 1,
      warmup: 500,
      requests: 2000,
      concurrency: 64,
      stormRounds: 1,
      stormRequests: 500,
      jitterMs: 150,
    }
  : {
      rounds: 3,
      warmup: 2000,
      requests: 8000,
      concurrency: 64,
      stormRounds: 3,
      stormRequests: 500,
      jitterMs: 150,
    };
if (args.rounds) config.rounds = config.stormRounds = Number(args.rounds);

const CONTENDERS = [
  'undici.request',
  'native fetch',
  'undici.fetch + Agent',
  'ky (native fetch)',
  'ky + undiciFetch',
  '@rc/core',
  '@rc/core + undiciFetch',
  '@ringcentral/sdk',
  '@rc-ex/core',
].filter((c) => !args.only || args.only.split(',').includes(c));
const STORM = ['@rc/core', '@rc/core + undiciFetch', '@ringcentral/sdk'].filter((c) =>
  CONTENDERS.includes(c),
);

/** Runs `node <args>` and resolves with the JSON on its last stdout line. */
function runJson(nodeArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, nodeArgs, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function startMock() {
  const child = spawn(NODE, ['mock-process.mjs'], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value]);
  return { mock: JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const medians = (runs) =>
  Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));

const started = performance.now();
const loadBefore = machine().load;
const { mock, stop } = await startMock();
const trial = (job) =>
  runJson([...(job.kind === 'memory' ? ['--expose-gc'] : []), 'trial.mjs', JSON.stringify({ ...job, mock })]);
const say = (msg) => process.stderr.write(`\x1b[2m[bench] ${msg}\x1b[0m\n`);

try {
  const runs = Object.fromEntries(CONTENDERS.map((c) => [c, []]));
  for (let r = 0; r < config.rounds; r++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + r) % CONTENDERS.length]);
    for (const contender of order) {
      say(`round ${r + 1}/${config.rounds}: ${contender}`);
      runs[contender].push(await trial({ kind: 'throughput', contender, ...config }));
    }
  }
  const storms = Object.fromEntries(STORM.map((c) => [c, []]));
  for (let r = 0; r < config.stormRounds; r++) {
    for (const contender of STORM) {
      say(`refresh storm ${r + 1}/${config.stormRounds}: ${contender}`);
      storms[contender].push(
        await trial({ kind: 'storm', contender, requests: config.stormRequests, jitterMs: config.jitterMs }),
      );
    }
  }
  say('memory per session');
  const memory = CONTENDERS.includes('@rc/core') ? await trial({ kind: 'memory', count: 1000 }) : undefined;

  const result = {
    date: new Date().toISOString(),
    quick: args.quick,
    config,
    machine: { ...machine(), loadBefore },
    versions: { node: await runJson(['-p', 'JSON.stringify(process.version)']), ...versions(here) },
    seconds: Math.round((performance.now() - started) / 1000),
    throughput: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)])),
    storm: Object.fromEntries(
      Object.entries(storms).map(([k, v]) => [k, { ...medians(v), worst: worst(v) }]),
    ),
    memory,
  };
  const major = result.versions.node.slice(1).split('.')[0];
  console.log(table(result));
  if (!args['no-write']) {
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', `node-${major}.json`), `${JSON.stringify(result, null, 2)}\n`);
    // What `import '@rc/api'` costs the type-checker (Node-independent; bench/typecheck.mjs).
    if (!args.quick && !args.only) {
      say('type-checking cost of @rc/api');
      spawnSync(
        process.execPath,
        [join(here, 'typecheck.mjs'), '--json', join(here, 'results', 'typecheck.json')],
        {
          stdio: 'inherit',
        },
      );
    }
    writeMarkdown(join(here, 'results'), join(root, 'docs', 'benchmarks.md'));
    say(`wrote docs/benchmarks.md and bench/results/node-${major}.json (${result.seconds} s)`);
  }
} finally {
  stop();
}

/** The worst round of a storm: refresh calls and failures must hold in every round, not the median. */
function worst(rounds) {
  return {
    refreshes: Math.max(...rounds.map((r) => r.refreshes)),
    failures: Math.max(...rounds.map((r) => r.failures)),
  };
}
