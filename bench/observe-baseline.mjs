// What the observe hooks (Plugin.observe, packages/core/src/observe.ts, issue 23) cost a client with
// no observer: today's @rc/core against builds of the commits from before they existed. Each older
// commit is checked out in a temporary `git worktree` under the system's tmp dir, its @rc/core built with
// its own tsconfig (node_modules linked to this checkout's: the same ky and p-limit), and the
// same throughput loop as `npm run bench` (trial.mjs, a fresh process per trial, the same mock in its
// own process) runs against every build, interleaved in a rotating order, and again with an
// in-process transport that answers with a copy of one of the mock's replies (no network, no mock
// CPU: core's own work per request alone); each build gets the same setup (a token the mock
// issued, no plugins). The figure is each round's ratio to the oldest build
// (requests per second, and client CPU per request), and the median of those ratios. On a machine
// shared with other work, req/s moves with the CPU the mock's process gets; the client's own CPU
// per request is the steadier figure.
//
//   node bench/observe-baseline.mjs               the parent of the commit that added observe.ts, that
//                                                 commit, and today's build (packages/core/dist)
//   node bench/observe-baseline.mjs --rounds 5    fewer rounds (default 7, about 4 minutes)
//   node bench/observe-baseline.mjs --keep        keeps the worktrees (in the tmp dir) for another run
//
// Writes bench/results/observe-baseline.json and the section of docs/benchmarks.md made from it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { here, median, nodeBinary, root, runJson, say, startMock } from './harness.mjs';
import { machine, writeMarkdown } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '8000' },
    keep: { type: 'boolean', default: false },
    node: { type: 'string' },
  },
});
const NODE = nodeBinary(args.node);
const git = (...a) => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim();

// The commit that added observe.ts (the oldest, should it have been added twice) and its parent.
const added = git('log', '--diff-filter=A', '--format=%H', '--', 'packages/core/src/observe.ts')
  .split('\n')
  .at(-1);
const parent = git('rev-parse', `${added}^`);
const subject = (rev) => git('log', '-1', '--format=%s', rev).slice(0, 90);

/** Builds @rc/core at `rev` in a worktree under tmp; resolves to its dist/index.js. */
function buildAt(rev) {
  const dir = join(tmpdir(), `rc-observe-baseline-${rev.slice(0, 10)}`);
  if (!existsSync(join(dir, 'packages/core/dist/index.js'))) {
    if (!existsSync(dir)) git('worktree', 'add', '--detach', dir, rev);
    for (const where of ['', 'packages/core']) {
      const link = join(dir, where, 'node_modules');
      if (!existsSync(link)) symlinkSync(join(root, where, 'node_modules'), link, 'dir');
    }
    say(`building @rc/core at ${rev.slice(0, 7)} in ${dir}`);
    execFileSync(NODE, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: join(dir, 'packages/core'),
      stdio: 'inherit',
    });
  }
  return { dir, module: join(dir, 'packages/core/dist/index.js') };
}

const builds = [
  { name: `${parent.slice(0, 7)} (before observe.ts)`, rev: parent, ...buildAt(parent) },
  { name: `${added.slice(0, 7)} (observe.ts added)`, rev: added, ...buildAt(added) },
  {
    // Named by the last commit that changed @rc/core (the commits after it leave core as it is).
    name: `${git('log', '-1', '--format=%h', '--', 'packages/core')} (today${git('status', '--porcelain', 'packages/core/src') ? ', with changes' : ''})`,
    rev: git('log', '-1', '--format=%H', '--', 'packages/core'),
    module: join(root, 'packages/core/dist/index.js'),
  },
];

// Over the mock (the network, and the mock's own CPU on the same machine, in every figure), and with
// an in-process transport (core's own work alone).
const transports = [
  { name: 'mock', stub: false, config: { warmup: 2000, requests: Number(args.requests), concurrency: 64 } },
  {
    name: 'stub',
    stub: true,
    config: { warmup: 5000, requests: Number(args.requests) * 5, concurrency: 64 },
  },
];
const rounds = Number(args.rounds);
const loadBefore = machine().load;
const started = performance.now();
const { mock, stop } = await startMock(NODE);
const runs = transports.map(() => builds.map(() => []));
try {
  for (let r = 0; r < rounds; r++) {
    for (const [t, transport] of transports.entries()) {
      for (let k = 0; k < builds.length; k++) {
        const i = (k + r) % builds.length;
        say(`round ${r + 1}/${rounds}, ${transport.name}: ${builds[i].name}`);
        const job = {
          kind: 'throughput',
          core: builds[i].module,
          stub: transport.stub,
          mock,
          ...transport.config,
        };
        runs[t][i].push(await runJson(NODE, ['trial.mjs', JSON.stringify(job)]));
      }
    }
  }
} finally {
  stop();
  if (!args.keep) for (const b of builds) if (b.dir) git('worktree', 'remove', '--force', b.dir);
}

/** Each build's medians, and each round's ratio to the oldest build (the rounds share the load of their moment). */
const summary = (runs) =>
  builds.map((b, i) => {
    const ratios = (field) => runs[i].map((run, r) => run[field] / runs[0][r][field]);
    const three = (xs) => xs.map((x) => Number(x.toFixed(3)));
    return {
      name: b.name,
      commit: b.rev,
      subject: subject(b.rev),
      rps: median(runs[i].map((run) => run.rps)),
      cpuUs: median(runs[i].map((run) => run.cpuUs)),
      rpsRatio: median(ratios('rps')),
      cpuRatio: median(ratios('cpuUs')),
      rpsRatios: three(ratios('rps')),
      cpuRatios: three(ratios('cpuUs')),
    };
  });
const result = {
  date: new Date().toISOString(),
  node: await runJson(NODE, ['-p', 'JSON.stringify(process.version)']),
  machine: { ...machine(), loadBefore },
  seconds: Math.round((performance.now() - started) / 1000),
  rounds,
  transports: transports.map((t, i) => ({ name: t.name, config: t.config, builds: summary(runs[i]) })),
};
for (const t of result.transports)
  for (const b of t.builds)
    console.log(
      `${t.name} ${b.name.padEnd(40)} ${b.rps.toFixed(0).padStart(6)} req/s ×${b.rpsRatio.toFixed(3)}  CPU ${b.cpuUs.toFixed(1)} µs/req ×${b.cpuRatio.toFixed(3)}  rounds: req/s ${b.rpsRatios.join(' ')}, CPU ${b.cpuRatios.join(' ')}`,
    );
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'observe-baseline.json'), `${JSON.stringify(result, null, 2)}\n`);
writeMarkdown(join(here, 'results'), join(root, 'docs', 'benchmarks.md'));
say(`wrote bench/results/observe-baseline.json and docs/benchmarks.md (${result.seconds} s)`);
