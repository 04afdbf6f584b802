// The bench's tables, for the terminal and for docs/benchmarks.md, and what they were measured on.
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

export function machine() {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    load: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Installed versions of what the bench compares (read from the bench package's node_modules). */
export function versions(dir) {
  const modules = join(dir, 'node_modules');
  const version = (name, from = modules) => {
    try {
      return JSON.parse(readFileSync(join(from, name, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  // pnpm places a package's own dependencies beside it, in the node_modules that holds it.
  const besides = (name) => join(realpathSync(join(modules, name)), ...name.split('/').map(() => '..'));
  return {
    ky: version('ky'),
    undici: version('undici'),
    '@ringcentral/sdk': version('@ringcentral/sdk'),
    'node-fetch (the SDK’s)': version('node-fetch', besides('@ringcentral/sdk')),
    '@rc-ex/core': version('@rc-ex/core'),
    'axios (@rc-ex’s)': version('axios', besides('@rc-ex/core')),
  };
}

const f = (n, digits = 0) => (n === undefined ? '—' : n.toFixed(digits));
const x = (n) => `${n.toFixed(2)}×`;
const row = (cells) => `| ${cells.join(' | ')} |`;

export function table(result) {
  const { throughput, storm, memory, config } = result;
  const raw = throughput['undici.request']?.rps;
  const sdk = throughput['@ringcentral/sdk']?.rps;
  const lines = [
    `${config.requests} GETs after ${config.warmup} of warm-up, ${config.concurrency} concurrent closed loops, median of ${config.rounds} interleaved round(s), each trial a fresh process`,
    '',
    row([
      'client',
      'req/s',
      '× undici.request',
      '× @ringcentral/sdk',
      'p50 ms',
      'p99 ms',
      'client CPU µs/req',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const [name, m] of Object.entries(throughput)) {
    lines.push(
      row([
        `\`${name}\``,
        f(m.rps),
        raw ? x(m.rps / raw) : '—',
        sdk ? x(m.rps / sdk) : '—',
        f(m.p50, 1),
        f(m.p99, 1),
        f(m.cpuUs),
      ]),
    );
  }
  const pair = (a, b) =>
    throughput[a] && throughput[b] ? `${a} / ${b} = ${x(throughput[a].rps / throughput[b].rps)}` : undefined;
  const pairs = [
    pair('@rc/core', 'ky (native fetch)'),
    pair('@rc/core + undiciFetch', 'ky + undiciFetch'),
    pair('ky + undiciFetch', 'ky (native fetch)'),
    pair('undici.fetch + Agent', 'native fetch'),
  ].filter(Boolean);
  if (pairs.length) lines.push('', `Pipeline and transport ratios (req/s): ${pairs.join('; ')}.`);
  const observers = ['@rc/core + no-op observer', '@rc/core + otel (no SDK)', '@rc/core + otel (SDK)'].filter(
    (c) => throughput[c] && throughput['@rc/core'],
  );
  if (observers.length) {
    const plain = throughput['@rc/core'];
    const ratio = (c, k) => `${c} ${x(throughput[c][k] / plain[k])}`;
    lines.push(
      '',
      `Observing (issue 23), against the plain \`@rc/core\` (medians of the same interleaved rounds): client CPU per request ${observers.map((c) => ratio(c, 'cpuUs')).join(', ')}; req/s ${observers.map((c) => ratio(c, 'rps')).join(', ')} (req/s moves with the CPU the mock's process gets on a loaded machine; the client's CPU is the steadier figure).`,
    );
  }
  if (Object.keys(storm).length) {
    lines.push(
      '',
      `Refresh storm: ${config.stormRequests} GETs, each after a 0–${config.jitterMs} ms jitter, right after every access token was invalidated, against the same on a valid token (median of ${config.stormRounds}; refreshes and failures are the worst round)`,
      '',
      row(['client', 'refresh calls', 'failures', 'storm ms', 'valid-token ms', 'storm / valid']),
      row(['---', '---:', '---:', '---:', '---:', '---:']),
    );
    for (const [name, s] of Object.entries(storm)) {
      lines.push(
        row([
          `\`${name}\``,
          String(s.worst.refreshes),
          String(s.worst.failures),
          f(s.stormMs),
          f(s.steadyMs),
          x(s.stormMs / s.steadyMs),
        ]),
      );
    }
  }
  if (memory) {
    lines.push(
      '',
      `Memory: ${f(memory.session / 1024, 1)} KiB per \`rc.session()\` (${x(memory.session / memory.ky)} a plain \`ky.create()\` at ${f(memory.ky / 1024, 1)} KiB; a \`new SDK()\` per user is ${f(memory.sdk / 1024, 1)} KiB).`,
    );
  }
  lines.push(...jobsTable(result.jobs));
  return lines.join('\n');
}

function section(result) {
  const v = Object.entries(result.versions)
    .map(([k, val]) => `${k} ${val}`)
    .join(', ');
  const m = result.machine;
  return [
    `## Node ${result.versions.node.slice(1)}`,
    '',
    `${result.date.slice(0, 10)}, ${result.quick ? '`--quick`' : 'full run'} in ${result.seconds} s. Machine: ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; load average before the run ${m.loadBefore.join(' / ')} (other work on the machine shows here: compare ratios, not absolute numbers). Versions: ${v}.`,
    '',
    table(result),
  ].join('\n');
}

/** The job benchmark's rows of this run (job.mjs, via run.mjs), when it ran. */
function jobsTable(jobs) {
  if (!jobs?.length) return [];
  const scaled = jobs.find((j) => j.windowS !== 60);
  const lines = [
    '',
    `Jobs at the rate limits (\`bench/job.mjs\`; see "${JOBS_HEADING.slice(3)}" below): ${scaled?.job ?? 'the job'} after one request of each group, windows scaled to ${scaled?.windowS ?? 6} s and the limiter's timings at the same ratios; the clock runs from the first request; rows run in pairs side by side (1 process beside the SDK; 8 processes beside the spot check)`,
    '',
    row([
      'client',
      'time',
      '÷ physical limit',
      '429s',
      'sent into a penalty',
      'failed',
      'Redis commands per API request',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const j of jobs) {
    const redis =
      j.redisCommandsPerRequest !== undefined
        ? `${j.redisCommandsPerRequest} (${j.redisCommands} for ${j.requests}: ${Object.entries(
            j.redisCommandsByName ?? {},
          )
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')})`
        : j.redisCallsPerRequest !== undefined
          ? `${j.redisCallsPerRequest} (budget calls)`
          : '—';
    lines.push(
      row([
        `${j.contender}${j.windowS === 60 ? ` (${j.job}, 60 s windows)` : ''}`,
        `${j.seconds.toFixed(1)} s`,
        `${j.ratio.toFixed(3)}×`,
        String(j.rateLimited429),
        String(j.sentIntoPenalty),
        j.failed ? `${j.failed} (${j.firstFailures[0]?.slice(0, 60)}…)` : '0',
        redis,
      ]),
    );
  }
  return lines;
}

const JOBS_HEADING = '## Jobs at the rate limits';

/** The type-checking cost of `import '@rc/api'` (bench/typecheck.mjs), when measured. */
function typecheckSection(resultsDir) {
  const file = join(resultsDir, 'typecheck.json');
  if (!existsSync(file)) return [];
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const row = (name, r) =>
    `| ${name} | ${r.totalS.toFixed(2)} s | ${r.checkS.toFixed(2)} s | ${r.instantiations} | ${Math.round(r.memoryK / 1024)} MB |`;
  return [
    "## Type-checking with `import '@rc/api'`",
    '',
    `\`node bench/typecheck.mjs\`: one fixture of ${t.calls} calls to documented GET operations (\`~\`, ids and`,
    'template literals, every reply used), checked by `tsc --extendedDiagnostics` against the built packages',
    `with and without \`import '@rc/api'\`; medians of ${t.runs} interleaved runs.`,
    '',
    '| fixture | total time | check time | instantiations | memory |',
    '| --- | --- | --- | --- | --- |',
    row('untyped', t.untyped),
    row('typed', t.typed),
    `| typed ÷ untyped | ${t.ratio.totalS.toFixed(2)}× | ${t.ratio.checkS.toFixed(2)}× | ${t.ratio.instantiations.toFixed(0)}× | ${t.ratio.memoryK.toFixed(2)}× |`,
    ...(t.fastestRatio
      ? [
          `| typed ÷ untyped, fastest runs (${t.fastest.typed.totalS.toFixed(2)} s ÷ ${t.fastest.untyped.totalS.toFixed(2)} s) | ${t.fastestRatio.totalS.toFixed(2)}× | ${t.fastestRatio.checkS.toFixed(2)}× | | |`,
        ]
      : []),
    '',
    'The machine is shared: other work only ever adds to a run, so the fastest run of each fixture is the',
    'least disturbed, and its ratio the steadiest figure (medians move by a third between runs under load).',
    '',
    'History: on 2026-12-05 the typed fixture took 54,363 instantiations, 2.19–2.28× the untyped time',
    '(median) and 1.8× its memory. On 2026-12-06 the generator halved the work per call: a router that',
    'never backtracks (trees built so the walk takes the literal child, else the parameter one; two',
    'segments a step), each reply type precomputed (generated/replies.ts, checked against the',
    'conditional-type reading for all 520 operations), and `operations` without what no type reads',
    '(path, header and cookie parameters, response headers, error replies: openapi.ts 28,070 → 20,307',
    'lines). Runs of 9 that day, at load 2–5: medians 1.71× and 2.24×, fastest runs 1.88× and 1.66×. What',
    'remains is mostly per call (the `await` of a distinct reply type, ky’s `ResponsePromise<T>`),',
    'not the route walk: 1 call costs the typed fixture about 0.45 s more than untyped, 200 calls 0.6 s.',
    'Reproduce: `pnpm exec turbo run build --filter=@rc/api...` then `node bench/typecheck.mjs --runs 9`.',
    '',
  ];
}

/** What the mock costs a test before it answers (bench/mock-startup.mjs), when measured. */
function mockStartupSection(resultsDir) {
  const file = join(resultsDir, 'mock-startup.json');
  if (!existsSync(file)) return [];
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const m = r.medians;
  const ms = (n) => `${n.toFixed(1)} ms`;
  return [
    '## Mock server start-up',
    '',
    `\`node bench/mock-startup.mjs\`: each run a fresh process on the built packages; medians of ${r.runs} runs (later requests: the median of ${r.later} each). ${r.date.slice(0, 10)}, ${r.node}, load average before ${r.loadBefore.join(' / ')}. The first REST request parses RingCentral's description (\`@rc/api/openapi.json\`, 1.2 MB) once per process and compiles the validators of its operation; each other operation compiles its own on its first request.`,
    '',
    '| step | time |',
    '| --- | ---: |',
    `| \`import('@rc/testing')\` | ${ms(m.importMs)} |`,
    `| \`startMockServer()\` | ${ms(m.startMs)} |`,
    `| first request, no description needed (\`GET /restapi/v1.0\`; warms the client's fetch up) | ${ms(m.firstPlainMs)} |`,
    `| first hand-written request (\`GET ${r.paths.handWritten}\`: parses the description, checks the request) | ${ms(m.firstHandWrittenMs)} |`,
    `| first described request (\`GET ${r.paths.described}\`: its validators, a synthesised reply) | ${ms(m.firstDescribedMs)} |`,
    `| later hand-written requests, each | ${ms(m.laterHandWrittenMs)} |`,
    `| later described requests, each | ${ms(m.laterDescribedMs)} |`,
    '',
    `First ÷ later: hand-written ${r.ratios.firstHandWrittenToLater.toFixed(0)}×, described ${r.ratios.firstDescribedToLater.toFixed(1)}×. A test file that starts a mock and makes its first REST call pays about ${ms(m.importMs + m.startMs + m.firstPlainMs + m.firstHandWrittenMs)} once (import, start, first requests); a second server in the same process pays only its \`startMockServer()\`. Resident memory after the run: ${m.rssMiB.toFixed(0)} MiB.`,
    '',
  ];
}

/** Today's @rc/core against builds from before the observe hooks (bench/observe-baseline.mjs), when measured. */
function observeBaselineSection(resultsDir) {
  const file = join(resultsDir, 'observe-baseline.json');
  if (!existsSync(file)) return [];
  const o = JSON.parse(readFileSync(file, 'utf8'));
  const m = o.machine;
  const how = {
    mock: 'over the mock (in its own process)',
    stub: 'in-process transport (a copy of one mock reply: core’s own work alone)',
  };
  const ratios = (xs) => xs.map((r) => r.toFixed(2)).join(', ');
  return [
    '## @rc/core with no observer, against the commits before `Plugin.observe`',
    '',
    `\`node bench/observe-baseline.mjs\`: each build of @rc/core (older commits built in a temporary \`git worktree\`), no plugins, a token the mock issued, the throughput trial above (64 loops, a fresh process each), ${o.rounds} rounds interleaving the builds, over the mock and with an in-process transport; ratios are each round's to the oldest build, then their median. ${o.date.slice(0, 10)}, ${o.node}, ${o.seconds} s; load average before ${m.loadBefore.join(' / ')}.`,
    '',
    '| transport | build | req/s | × before (req/s) | each round | client CPU µs/req | × before (CPU) | each round |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | --- |',
    ...o.transports.flatMap((t) =>
      t.builds.map(
        (b) =>
          `| ${how[t.name] ?? t.name}, ${t.config.requests} GETs | \`${b.name}\` | ${f(b.rps)} | ${b.rpsRatio.toFixed(3)}× | ${ratios(b.rpsRatios)} | ${f(b.cpuUs, 1)} | ${b.cpuRatio.toFixed(3)}× | ${ratios(b.cpuRatios)} |`,
      ),
    ),
    '',
  ];
}

/** The webhook receiver's own cost per delivery (bench/webhook.mjs), when measured. */
function webhookSection(resultsDir) {
  const file = join(resultsDir, 'webhook.json');
  if (!existsSync(file)) return [];
  const w = JSON.parse(readFileSync(file, 'utf8'));
  const fig = w.figures;
  return [
    '## The webhook receiver, per delivery',
    '',
    `\`node bench/webhook.mjs\`: ${w.config.deliveries} message-store notifications delivered one at a time, in process (no socket: the receiver's own work — building the request, reading and checking it, de-duplicating, replying), each trial a fresh process, ${w.config.rounds} rounds interleaving the contenders; medians. The bare fetch handler only reads, parses and answers 200; the bare node:http listener collects the chunks, parses and answers. ${w.date.slice(0, 10)}, ${w.node}, ${w.seconds} s; load average before ${w.machine.loadBefore.join(' / ')}.`,
    '',
    '| receiver | µs per delivery | against | its µs | × (wall) | × (CPU) | + µs |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    ...w.pairs.map(
      (p) =>
        `| ${p.contender} | ${f(fig[p.contender].us, 1)} | ${p.bare} | ${f(fig[p.bare].us, 1)} | ${x(p.ratio)} | ${x(p.cpuRatio)} | ${f(p.extraUs, 1)} |`,
    ),
    '',
    'RingCentral allows 3000 ms for a reply: what the receiver adds is microseconds; the time goes to `onNotification`.',
    '',
  ];
}

/**
 * Rewrites docs/benchmarks.md from every bench/results/node-*.json (newest Node first),
 * typecheck.json, mock-startup.json, observe-baseline.json and webhook.json; what follows
 * JOBS_HEADING is written by hand and kept.
 */
export function writeMarkdown(resultsDir, mdPath) {
  const results = readdirSync(resultsDir)
    .filter((name) => /^node-\d+\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')))
    .sort(
      (a, b) => Number.parseInt(b.versions.node.slice(1), 10) - Number.parseInt(a.versions.node.slice(1), 10),
    );
  const text = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (Node 24) and `npm run bench -- --node 22`; `--quick` for a short run. The',
    'mock RingCentral server (`@rc/testing`) runs in a process of its own on 127.0.0.1; every trial is a',
    'fresh client process that warms up, then sends its GETs of `/restapi/v1.0/account/~/extension/~`;',
    'the rounds interleave the clients and each figure is the median of its rounds. "Client CPU" is the',
    'client process’s user + system time per request. `undici.request` is the limit a Node client can',
    'reach; `undici.fetch + Agent` is undici’s own spec-complete fetch over a pool, measured to show why',
    '`@rc/transport-undici` is a thin fetch over `dispatcher.dispatch()` instead. The SDK and `@rc-ex/core`',
    'log in with the password grant; the raw clients send a token the mock issued.',
    '',
    ...results.flatMap((r) => [section(r), '']),
    ...typecheckSection(resultsDir),
    ...mockStartupSection(resultsDir),
    ...observeBaselineSection(resultsDir),
    ...webhookSection(resultsDir),
  ].join('\n');
  // The job benchmark's section (bench/job.mjs, written by hand from its output) is kept as it is.
  const previous = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '';
  const jobs = previous.indexOf(JOBS_HEADING);
  writeFileSync(mdPath, jobs === -1 ? text : `${text}\n${previous.slice(jobs)}`);
}
