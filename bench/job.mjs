#!/usr/bin/env node
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
// The job benchmark (issue 22): a RingCentral app's speed is bounded by its rate limits, so the
// figure that matters is how close a real job comes to the physical limit those limits allow, with
// no 429 and no failed request. The job: 60 Heavy GETs (call log) and 100 Light GETs (presence),
// 8 at a time, after one request of each group (which tells the budget), against the mock with
// RingCentral's groups (Heavy 10, Light 50 a window, a penalty of one window). Prints one JSON line;
// `npm run bench` (bench/run.mjs) runs its rows side by side and writes them to docs/benchmarks.md.
//
//   node bench/job.mjs                       windows scaled to 6 s, the limiter's timings too
//   node bench/job.mjs --contender sdk       @ringcentral/sdk with handleRateLimit, same job
//   node bench/job.mjs --spot                RingCentral's real timing, defaults: 1 + 12 Heavy GETs
//   node bench/job.mjs --processes 8         the same job split over 8 processes of one user, each
//                                            with its own client on one redisStore, 1 at a time; the
//                                            Redis is a private redis-server (every command it gets is
//                                            the job's, counted with MONITOR), or --redis-url URL
//
// Physical limit: Heavy is the bound, 1 + 60 requests at 10 a window take 6 windows after the first
// (the 61st request cannot go before 6 windows have passed since the first 10).
import { passwordGrant } from '@rc/auth-password';
import { concurrency, createClient, DEFAULT_MAX_WAIT_MS } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { freePort, redisCommand, spawnRedisServer } from '../scripts/services/redis.mjs';

const args = process.argv.slice(2);
const processes = args.includes('--processes') ? Number(args[args.indexOf('--processes') + 1]) : 1;
if (process.env.JOB_CHILD) await child(JSON.parse(process.env.JOB_CHILD));

/** One of `--processes` workers: its own client on the shared Redis store, its share of the job, one at a time. */
async function child({ mock, paths, token, namespace, scaleOf, redisUrl }) {
  // node-redis is a dependency of the store package, not of the bench: loaded from its build.
  const { redisStore } = await import('../packages/store-redis/dist/index.js');
  const store = redisStore({ url: redisUrl, namespace });
  const rc = createClient({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    store,
    rateLimit: { maxWaitMs: DEFAULT_MAX_WAIT_MS * scaleOf, defaultRetryAfterMs: 30_000 * scaleOf },
  });
  await rc.setToken(token);
  await store.penalties?.load();
  process.send({ type: 'ready' });
  await new Promise((resolve) => process.once('message', resolve));
  const failures = [];
  for (const path of paths)
    await rc
      .get(path)
      .json()
      .catch((e) => failures.push(String(e?.message ?? e).slice(0, 160)));
  process.send({ type: 'done', failures, budgetCalls: store.budget.calls });
  await store.close();
  process.exit(0);
}
const spot = args.includes('--spot');
const contender = args.includes('--contender') ? args[args.indexOf('--contender') + 1] : 'rc';
const WINDOW_S = spot ? 60 : 6;
const scale = WINDOW_S / 60;
const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';
const LIGHT = '/restapi/v1.0/account/~/extension/~/presence';
const job = spot ? { heavy: 12, light: 0 } : { heavy: 60, light: 100 };

const server = await startMockServer({
  rateLimits: {
    Heavy: { limit: 10, windowSec: WINDOW_S, penaltySec: WINDOW_S },
    Light: { limit: 50, windowSec: WINDOW_S, penaltySec: WINDOW_S },
  },
});
const login = {
  username: server.user.username,
  extension: server.user.extension,
  password: server.user.password,
};

async function rcClient(store) {
  const rc = createClient({
    store,
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    // The limiter's own timings at the same ratios as the windows (at real timing: the defaults).
    ...(spot
      ? {}
      : { rateLimit: { maxWaitMs: DEFAULT_MAX_WAIT_MS * scale, defaultRetryAfterMs: 30_000 * scale } }),
    plugins: [concurrency({ max: 8 })],
  });
  await rc.authorize(passwordGrant(login));
  return (path) => rc.get(path).json();
}

async function sdkClient() {
  const { SDK } = await import('@ringcentral/sdk');
  const sdk = new SDK({
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    handleRateLimit: true,
  });
  const platform = sdk.platform();
  await platform.login(login);
  return async (path) => (await platform.get(path)).json();
}

if (processes > 1) {
  await parent();
  await server.close();
  process.exit(0);
}

/** `--processes N`: the job's requests dealt out to N child processes of one user on one Redis. */
async function parent() {
  const redis = await privateRedis();
  const namespace = `bench-job-${process.pid}`;
  // The first requests go through the same store as the workers: every process of the app shares the budget.
  const { redisStore } = await import('../packages/store-redis/dist/index.js');
  const store = redisStore({ url: redis.url, namespace });
  const get = await rcClient(store);
  const paths = Array.from({ length: Math.max(job.heavy, job.light) }, (_, i) =>
    [i < job.heavy ? HEAVY : undefined, i < job.light ? LIGHT : undefined].filter(Boolean),
  ).flat();
  const token = server.issueToken();
  const mock = { url: server.url, clientId: server.clientId, clientSecret: server.clientSecret };
  const kids = Array.from({ length: processes }, (_, k) =>
    fork(fileURLToPath(import.meta.url), [], {
      env: {
        ...process.env,
        JOB_CHILD: JSON.stringify({
          mock,
          paths: paths.filter((_, i) => i % processes === k),
          token,
          namespace,
          scaleOf: scale,
          redisUrl: redis.url,
        }),
      },
    }),
  );
  const next = (kid, type) =>
    new Promise((resolve) => kid.on('message', (m) => m.type === type && resolve(m)));
  await Promise.all(kids.map((kid) => next(kid, 'ready')));
  server.resetStats();
  const watch = redis.private ? await monitor(redis.port) : undefined;
  // The clock starts with the job's first request, as the physical limit counts from it (a
  // sliding window: the 61st Heavy request may go 6 windows after the first): the workers are
  // ready before it, so their start-up is not inside the job nor taken off it.
  const start = performance.now();
  await get(HEAVY);
  await get(LIGHT);
  const dones = kids.map((kid) => next(kid, 'done'));
  for (const kid of kids) kid.send('go');
  const done = await Promise.all(dones);
  const seconds = (performance.now() - start) / 1000;
  const commands = watch?.stop();
  const failures = done.flatMap((m) => m.failures);
  // Each budget call is one round-trip (one EVALSHA) to Redis, counted by the stores.
  const calls = done.reduce((n, m) => n + m.budgetCalls, 0);
  const requests = job.heavy + job.light + 2; // with the first of each group
  const per = (n) => Number((n / requests).toFixed(2));
  report(`@rc/core, ${processes} processes on one Redis`, seconds, failures, {
    redisBudgetCalls: calls,
    redisCallsPerRequest: per(calls),
    ...(commands && {
      redisCommands: commands.sent,
      redisCommandsPerRequest: per(commands.sent),
      redisCommandsByName: commands.byName,
      redisScriptCommands: commands.inScripts,
    }),
  });
  await store.close();
  redis.stop();
}

/**
 * The Redis of the 8-process job: a redis-server of its own on a free loopback port (so MONITOR
 * sees the job's commands and nobody else's), or --redis-url's.
 */
async function privateRedis() {
  if (args.includes('--redis-url'))
    return { url: args[args.indexOf('--redis-url') + 1], private: false, stop() {} };
  const port = await freePort();
  const child = spawnRedisServer(port);
  const deadline = Date.now() + 10_000;
  while ((await redisCommand({ port }, ['PING']).catch(() => undefined)) !== 'PONG') {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, port, private: true, stop: () => child.kill('SIGTERM') };
}

/**
 * Counts the commands Redis receives (MONITOR): `sent` are the clients' own round-trips, by name;
 * `inScripts` the commands the Lua scripts ran inside Redis (MONITOR tags them `lua`).
 */
async function monitor(port) {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const byName = {};
  let sent = 0;
  let inScripts = 0;
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    const lines = (buffer + chunk).split('\r\n');
    buffer = lines.pop();
    for (const line of lines) {
      const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (!m) continue;
      if (m[1] === 'lua') inScripts++;
      else {
        sent++;
        const name = m[2].toLowerCase();
        byName[name] = (byName[name] ?? 0) + 1;
      }
    }
  });
  socket.write('MONITOR\r\n');
  await new Promise((resolve) => socket.once('data', resolve)); // +OK
  return {
    stop() {
      socket.destroy();
      return { sent, inScripts, byName };
    },
  };
}

function report(name, seconds, failures, extra = {}) {
  const windows = Math.ceil((job.heavy + 1) / 10) - 1;
  const physical = windows * WINDOW_S;
  console.log(
    JSON.stringify({
      contender: name,
      windowS: WINDOW_S,
      job: `${job.heavy} Heavy + ${job.light} Light, 8 at a time`,
      requests: job.heavy + job.light + (job.light ? 2 : 1),
      seconds: Number(seconds.toFixed(2)),
      physicalLimitS: physical,
      ratio: Number((seconds / physical).toFixed(3)),
      rateLimited429: server.stats.rateLimited,
      sentIntoPenalty: server.stats.duringPenalty,
      failed: failures.length,
      firstFailures: failures.slice(0, 2),
      ...extra,
    }),
  );
}

const get = contender === 'sdk' ? await sdkClient() : await rcClient();
const failures = [];
const paths = [];
for (let i = 0; i < Math.max(job.heavy, job.light); i++) {
  if (i < job.heavy) paths.push(HEAVY);
  if (i < job.light) paths.push(LIGHT);
}
server.resetStats();
// The clock starts with the first request, as the physical limit counts from it. One request of
// each group first: the client learns the budget.
const start = performance.now();
await get(HEAVY);
if (job.light) await get(LIGHT);
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < paths.length) {
      const path = paths[next++];
      await get(path).catch((error) => failures.push(String(error?.message ?? error).slice(0, 160)));
    }
  }),
);
report(
  contender === 'sdk' ? '@ringcentral/sdk handleRateLimit' : '@rc/core, 1 process',
  (performance.now() - start) / 1000,
  failures,
);
await server.close();
process.exit(0);
