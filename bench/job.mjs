#!/usr/bin/env node
// The job benchmark (issue 22): a RingCentral app's speed is bounded by its rate limits, so the
// figure that matters is how close a real job comes to the physical limit those limits allow, with
// no 429 and no failed request. The job: 60 Heavy GETs (call log) and 100 Light GETs (presence),
// 8 at a time, after one request of each group (which tells the budget), against the mock with
// RingCentral's groups (Heavy 10, Light 50 a window, a penalty of one window).
//
//   node bench/job.mjs                       windows scaled to 6 s, the limiter's timings too
//   node bench/job.mjs --contender sdk       @ringcentral/sdk with handleRateLimit, same job
//   node bench/job.mjs --spot                RingCentral's real timing, defaults: 1 + 12 Heavy GETs
//
// Physical limit: Heavy is the bound, 1 + 60 requests at 10 a window take 6 windows after the first
// (the 61st request cannot go before 6 windows have passed since the first 10).
import { passwordGrant } from '@rc/auth-password';
import { concurrency, createClient, DEFAULT_MAX_WAIT_MS } from '@rc/core';
import { startMockServer } from '@rc/testing';

const args = process.argv.slice(2);
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

async function rcClient() {
  const rc = createClient({
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

const get = contender === 'sdk' ? await sdkClient() : await rcClient();
const failures = [];
// One request of each group first: the client learns the budget (the physical limit counts it).
await get(HEAVY);
if (job.light) await get(LIGHT);
server.resetStats();
const paths = [];
for (let i = 0; i < Math.max(job.heavy, job.light); i++) {
  if (i < job.heavy) paths.push(HEAVY);
  if (i < job.light) paths.push(LIGHT);
}
const start = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < paths.length) {
      const path = paths[next++];
      await get(path).catch((error) => failures.push(String(error?.message ?? error).slice(0, 160)));
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
const windows = Math.ceil((job.heavy + 1) / 10) - 1;
const physical = windows * WINDOW_S;
const result = {
  contender: contender === 'sdk' ? '@ringcentral/sdk handleRateLimit' : '@rc/core, 1 process',
  windowS: WINDOW_S,
  job: `${job.heavy} Heavy + ${job.light} Light, 8 at a time`,
  seconds: Number(seconds.toFixed(2)),
  physicalLimitS: physical,
  ratio: Number((seconds / physical).toFixed(3)),
  rateLimited429: server.stats.rateLimited,
  sentIntoPenalty: server.stats.duringPenalty,
  failed: failures.length,
  firstFailures: failures.slice(0, 2),
};
console.log(JSON.stringify(result));
await server.close();
process.exit(0);
