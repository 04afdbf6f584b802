// `npm run bench`: @rc against raw undici, the global fetch, plain ky 2 and the other RingCentral
// clients, side by side in one run on one mock server (in its own process). Every trial runs in a
// fresh process; rounds interleave the contenders (in a rotating order) and each figure is the
// median of its rounds. Then the job benchmark (job.mjs: a job at the rate limits, issue 22), its
// rows in pairs side by side. Prints ratio tables and writes docs/benchmarks.md (one section per
// Node major, from bench/results/node-<major>.json; full runs add the type-checking cost and the
// mock's start-up, bench/typecheck.mjs and bench/mock-startup.mjs).
//
//   npm run bench                  Node 24 (.tools/node-24), full run (about 5 minutes)
//   npm run bench -- --node 22     Node 22 (.tools/node-22); or --node /path/to/node
//   npm run bench -- --quick       one round, fewer requests, the jobs without the spot check (about 2 minutes)
//   npm run bench -- --no-jobs     the throughput trials only
//   BENCH_NODE=/path/to/node       the same as --node
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runJson as harnessRunJson, here, medians, nodeBinary, root, say, startMock } from './harness.mjs';
import { machine, table, versions, writeMarkdown } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    node: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    'no-jobs': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});

const NODE = nodeBinary(args.node);
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
      warmup: 1500,
      requests: 6000,
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
  '@rc/core + no-op observer',
  '@rc/core + otel (no SDK)',
  '@rc/core + otel (SDK)',
  '@ringcentral/sdk',
  '@rc-ex/core',
].filter((c) => !args.only || args.only.split(',').includes(c));
const STORM = ['@rc/core', '@rc/core + undiciFetch', '@ringcentral/sdk'].filter((c) =>
  CONTENDERS.includes(c),
);

const runJson = (nodeArgs) => harnessRunJson(NODE, nodeArgs);

const started = performance.now();
const loadBefore = machine().load;
const { mock, stop } = await startMock(NODE);
const trial = (job) =>
  runJson([...(job.kind === 'memory' ? ['--expose-gc'] : []), 'trial.mjs', JSON.stringify({ ...job, mock })]);

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

  const jobs = args['no-jobs'] || args.only ? undefined : await jobRows();

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
    jobs,
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
      // What the mock costs a test before it answers (bench/mock-startup.mjs).
      say('mock server start-up');
      spawnSync(
        NODE,
        [join(here, 'mock-startup.mjs'), '--json', join(here, 'results', 'mock-startup.json')],
        {
          cwd: here,
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    }
    writeMarkdown(join(here, 'results'), join(root, 'docs', 'benchmarks.md'));
    say(`wrote docs/benchmarks.md and bench/results/node-${major}.json (${result.seconds} s)`);
  }
} finally {
  stop();
}

/**
 * The job benchmark's rows (job.mjs), two at a time: each pair side by side in one period, so they
 * share the machine's load, and each its own mock (and the 8 processes their own redis-server). The
 * rows wait on the windows, not the CPU; the 8 workers' start-up goes beside the spot check, whose
 * 60 s windows make a few ms of delay count least.
 */
async function jobRows() {
  const pairs = [
    [
      ['@rc/core, 1 process', []],
      ['@ringcentral/sdk, handleRateLimit', ['--contender', 'sdk']],
    ],
    [
      ['@rc/core, 8 processes on one Redis', ['--processes', '8']],
      ...(args.quick ? [] : [['spot check: RingCentral’s timing, the defaults', ['--spot']]]),
    ],
  ];
  const rows = [];
  for (const pair of pairs) {
    say(`jobs at the rate limits: ${pair.map(([name]) => name).join(' | ')}`);
    const done = await Promise.all(pair.map(([, jobArgs]) => runJson(['job.mjs', ...jobArgs])));
    rows.push(...done.map((row, i) => ({ ...row, contender: pair[i][0] })));
  }
  return rows;
}

/** The worst round of a storm: refresh calls and failures must hold in every round, not the median. */
function worst(rounds) {
  return {
    refreshes: Math.max(...rounds.map((r) => r.refreshes)),
    failures: Math.max(...rounds.map((r) => r.failures)),
  };
}
