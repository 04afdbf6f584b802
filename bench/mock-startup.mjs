#!/usr/bin/env node
// What the mock costs a test before it answers (issue 20: the description must not cost every test
// seconds). Each run is a fresh process on the built packages: the import of @rc/testing,
// startMockServer(), a first request that needs no description (version discovery, which also warms
// the client's fetch up), the first request of a hand-written route (it parses the description,
// 1.2 MB of JSON, and compiles the request validators of its operation), the first request of a
// described route (another operation's validators and its synthesised reply), then the same two
// again (medians of `--later` each). The figures are medians over `--runs` processes.
//   node bench/mock-startup.mjs [--runs 7] [--later 50] [--json out.json]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    later: { type: 'string', default: '50' },
    json: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
});

const HAND_WRITTEN = '/restapi/v1.0/account/~/extension/~';
const DESCRIBED = '/restapi/v1.0/account/~/call-queues';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (n) => Math.round(n * 100) / 100;

if (args.child) {
  const timed = async (fn) => {
    const t0 = performance.now();
    const value = await fn();
    return [performance.now() - t0, value];
  };
  const [importMs, { startMockServer }] = await timed(() => import('@rc/testing'));
  const [startMs, mock] = await timed(() => startMockServer());
  const headers = { Authorization: `Bearer ${mock.issueToken().access_token}` };
  const get = async (path) => {
    const res = await fetch(`${mock.url}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };
  const [firstPlainMs] = await timed(() => get('/restapi/v1.0'));
  const [firstHandWrittenMs] = await timed(() => get(HAND_WRITTEN));
  const [firstDescribedMs] = await timed(() => get(DESCRIBED));
  const later = async (path) => {
    const times = [];
    for (let i = 0; i < Number(args.later); i++) times.push((await timed(() => get(path)))[0]);
    return median(times);
  };
  const laterHandWrittenMs = await later(HAND_WRITTEN);
  const laterDescribedMs = await later(DESCRIBED);
  await mock.close();
  console.log(
    JSON.stringify({
      importMs,
      startMs,
      firstPlainMs,
      firstHandWrittenMs,
      firstDescribedMs,
      laterHandWrittenMs,
      laterDescribedMs,
      rssMiB: process.memoryUsage.rss() / 2 ** 20,
    }),
  );
} else {
  const loadBefore = loadavg().map((l) => round(l));
  const runs = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', '--later', args.later],
      {
        encoding: 'utf8',
      },
    );
    if (child.status !== 0) throw new Error(`run ${i + 1} failed: ${child.stderr.slice(-2000)}`);
    runs.push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
  }
  const medians = Object.fromEntries(
    Object.keys(runs[0]).map((k) => [k, round(median(runs.map((r) => r[k])))]),
  );
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    loadBefore,
    runs: runs.length,
    later: Number(args.later),
    paths: { handWritten: HAND_WRITTEN, described: DESCRIBED },
    medians,
    ratios: {
      firstHandWrittenToLater: round(medians.firstHandWrittenMs / medians.laterHandWrittenMs),
      firstDescribedToLater: round(medians.firstDescribedMs / medians.laterDescribedMs),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
}
