// The webhook receiver's own cost per delivery (issue 21): webhookHandler() against a bare
// fetch-style handler that only reads, parses and answers, and toNodeHandler(webhookHandler())
// against a bare node:http listener, side by side. Each trial is a fresh process
// (webhook-trial.mjs: in-process deliveries, no socket, one at a time); rounds interleave the
// contenders in a rotating order and each figure is the median of its rounds.
//
//   node bench/webhook.mjs                 7 rounds of 20,000 deliveries (about a minute)
//   node bench/webhook.mjs --rounds 3      fewer rounds
//   node bench/webhook.mjs --no-write      print only
//
// Writes bench/results/webhook.json and its section of docs/benchmarks.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { here, medians, nodeBinary, root, runJson, say } from './harness.mjs';
import { machine, writeMarkdown } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    deliveries: { type: 'string', default: '20000' },
    node: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const NODE = nodeBinary(args.node);
const config = { rounds: Number(args.rounds), warmup: 2000, deliveries: Number(args.deliveries) };

/** Each contender and the bare one it is measured against. */
const PAIRS = [
  ['webhookHandler', 'bare fetch handler'],
  ['webhookHandler + memoryStore', 'bare fetch handler'],
  ['toNodeHandler(webhookHandler)', 'bare node:http listener'],
];
const CONTENDERS = [...new Set(PAIRS.flat())];

const started = performance.now();
const loadBefore = machine().load;
const runs = Object.fromEntries(CONTENDERS.map((c) => [c, []]));
for (let r = 0; r < config.rounds; r++) {
  const order = CONTENDERS.map((_, i) => CONTENDERS[(i + r) % CONTENDERS.length]);
  for (const contender of order) {
    say(`round ${r + 1}/${config.rounds}: ${contender}`);
    runs[contender].push(
      await runJson(NODE, ['webhook-trial.mjs', JSON.stringify({ contender, ...config })]),
    );
  }
}
const figures = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
const result = {
  date: new Date().toISOString(),
  node: await runJson(NODE, ['-p', 'JSON.stringify(process.version)']),
  config,
  machine: { ...machine(), loadBefore },
  seconds: Math.round((performance.now() - started) / 1000),
  figures,
  pairs: PAIRS.map(([contender, bare]) => ({
    contender,
    bare,
    ratio: figures[contender].us / figures[bare].us,
    cpuRatio: figures[contender].cpuUs / figures[bare].cpuUs,
    extraUs: figures[contender].us - figures[bare].us,
  })),
};
for (const p of result.pairs)
  console.log(
    `${p.contender}: ${figures[p.contender].us.toFixed(1)} µs/delivery, ${p.ratio.toFixed(2)}× ${p.bare} (${figures[p.bare].us.toFixed(1)} µs), +${p.extraUs.toFixed(1)} µs; CPU ${p.cpuRatio.toFixed(2)}×`,
  );
if (!args['no-write']) {
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'webhook.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeMarkdown(join(here, 'results'), join(root, 'docs', 'benchmarks.md'));
  say(`wrote docs/benchmarks.md and bench/results/webhook.json (${result.seconds} s)`);
}
