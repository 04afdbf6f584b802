// `pnpm bench`: the cost of @rc's pipeline, measured side by side in one run against the same local
// mock server. Figures are ratios to plain fetch and to plain ky (absolute times are noise on
// shared machines). Rounds interleave the contenders, and each figure is the median of its rounds.
import { createClient } from '@rc/core';
import { startMockServer } from '@rc/testing';
import ky from 'ky';

const PATH = 'restapi/v1.0/account/~/extension/~';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const PARALLEL = 16;

const server = await startMockServer();
const raw = server.issueToken({ accessTokenTtl: 86_400 });
const auth = { authorization: `Bearer ${raw.access_token}` };

const rc = createClient({ server: server.url, clientId: server.clientId, clientSecret: server.clientSecret });
await rc.setToken(raw);
const plainKy = ky.create({ prefixUrl: server.url, headers: auth });

const contenders = {
  fetch: () => fetch(`${server.url}/${PATH}`, { headers: auth }).then((r) => r.json()),
  ky: () => plainKy.get(PATH).json(),
  rc: () => rc.get(PATH).json(),
};

async function round(fn) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next++ < REQUESTS) await fn();
    }),
  );
  return performance.now() - start;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (const fn of Object.values(contenders)) await round(fn); // warm-up
for (let r = 0; r < ROUNDS; r++)
  for (const [name, fn] of Object.entries(contenders)) times[name].push(await round(fn));

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
console.log(`${REQUESTS} GETs, ${PARALLEL} in parallel, ${ROUNDS} interleaved rounds (median):`);
console.log(`  rc / fetch  = ${(m.rc / m.fetch).toFixed(2)}x`);
console.log(`  rc / ky     = ${(m.rc / m.ky).toFixed(2)}x`);
console.log(`  ky / fetch  = ${(m.ky / m.fetch).toFixed(2)}x`);

// Refresh storm: 500 concurrent requests on a dead token; the cost of single flight.
server.invalidateAccessTokens();
server.resetStats();
const stormStart = performance.now();
await Promise.all(Array.from({ length: 500 }, () => rc.get(PATH).json()));
const storm = performance.now() - stormStart;
server.resetStats();
const steadyStart = performance.now();
await Promise.all(Array.from({ length: 500 }, () => rc.get(PATH).json()));
const steady = performance.now() - steadyStart;
console.log(
  `500 concurrent GETs on a dead token vs on a valid one: ${(storm / steady).toFixed(2)}x (1 refresh)`,
);

// Memory: what one more session costs (a web app keeps one per signed-in user), next to what one
// more plain ky instance costs. Needs --expose-gc (pnpm bench passes it).
if (typeof globalThis.gc === 'function') {
  const heapAfter = async (make) => {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const kept = make();
    globalThis.gc();
    const bytes = (process.memoryUsage().heapUsed - before) / kept.length;
    return bytes;
  };
  const N = 1000;
  const kyBytes = await heapAfter(() =>
    Array.from({ length: N }, () => ky.create({ prefixUrl: server.url, headers: auth })),
  );
  const sessionBytes = await heapAfter(() => Array.from({ length: N }, (_, i) => rc.session(`user-${i}`)));
  console.log(
    `memory per session vs per plain ky instance: ${(sessionBytes / kyBytes).toFixed(2)}x (${N} of each)`,
  );
}

await server.close();
