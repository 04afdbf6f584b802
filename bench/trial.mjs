// One trial in a fresh process: `node trial.mjs <json>` with { kind, contender, mock, ... }; prints
// one JSON line with the result. Kinds:
// - throughput: `concurrency` closed loops send `warmup` then `requests` GETs; requests per second,
//   p50/p99 latency, and this process's CPU time (user + system) per request (`core`: a path to a
//   build of @rc/core's index.js to run instead of a named contender; `stub`: its transport answers
//   in-process with a canned reply);
// - storm: 500 GETs, each started after a 0–150 ms jitter, on a valid token and then right after the
//   mock invalidated every access token: wall times, failures, and refresh calls the mock saw;
// - memory: heap per `rc.session()` (and, to compare, per plain ky instance and per SDK instance).
import { contenders, control, coreAt, PATH } from './contenders.mjs';

const job = JSON.parse(process.argv[2]);
const { mock } = job;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function loops(get, count, concurrency, latencies) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        await get();
        if (latencies) latencies[i] = performance.now() - start;
      }
    }),
  );
}

async function throughput() {
  const client = await (job.core ? coreAt(job.core, job.stub) : contenders[job.contender])(mock);
  await loops(client.get, job.warmup, job.concurrency);
  const latencies = new Float64Array(job.requests);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await loops(client.get, job.requests, job.concurrency, latencies);
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  await client.close?.();
  latencies.sort();
  return {
    rps: (job.requests / ms) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpuUs: (user + system) / job.requests,
  };
}

// A seeded generator: both halves of the storm, and every contender, get the same jitters.
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function jittered(get, count, maxJitterMs) {
  const random = mulberry32(42);
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, async () => {
      await new Promise((resolve) => setTimeout(resolve, random() * maxJitterMs));
      try {
        await get();
      } catch {
        failures++;
      }
    }),
  );
  return { ms: performance.now() - start, failures };
}

async function storm() {
  const client = await contenders[job.contender](mock, { storm: true });
  await loops(client.get, 200, 16); // warm-up
  const steady = await jittered(client.get, job.requests, job.jitterMs);
  await control(mock, '/invalidate');
  const stormed = await jittered(client.get, job.requests, job.jitterMs);
  const stats = await control(mock, '/stats', 'GET');
  await client.close?.();
  return {
    steadyMs: steady.ms,
    stormMs: stormed.ms,
    steadyFailures: steady.failures,
    failures: stormed.failures,
    refreshes: stats.byGrant.refresh_token ?? 0,
    logins: stats.byGrant.password ?? 0,
  };
}

async function memory() {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('the memory trial needs --expose-gc');
  const heapPer = async (make, count) => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = [];
    for (let i = 0; i < count; i++) kept.push(await make(i));
    gc();
    gc();
    const bytes = (process.memoryUsage().heapUsed - before) / count;
    kept.length = 0;
    return bytes;
  };
  const { rc } = await contenders['@rc/core'](mock);
  const { default: ky } = await import('ky');
  const { SDK } = await import('@ringcentral/sdk');
  const N = job.count;
  await rc.get(PATH).json(); // the first request builds what later ones share
  return {
    session: await heapPer((i) => rc.session(`user-${i}`), N),
    ky: await heapPer(() => ky.create({ headers: { authorization: 'Bearer x' } }), N),
    sdk: await heapPer(
      () => new SDK({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret }),
      Math.min(N, 200),
    ),
  };
}

const kinds = { throughput, storm, memory };
const result = await kinds[job.kind]();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
