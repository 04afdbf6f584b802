// Where a request's client CPU goes: `node --cpu-prof --cpu-prof-dir=<dir> bench/profile/client.mjs [rc|ky|fetch]`
// runs GETs (rc, ky, fetch; rc-undici and ky-undici over undiciFetch; rc-noop with a plugin whose
// observer does nothing, rc-otel with @rc/otel and no OpenTelemetry SDK) against a mock in another
// process (64 concurrent loops), then `node bench/profile/summary.mjs <dir>/*.cpuprofile` groups
// self time by where the code lives (core's observe.js and @rc/otel apart).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient } from '@rc/core';
import { undiciFetch } from '@rc/transport-undici';
import ky from 'ky';

const which = process.argv[2] ?? 'rc';
const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 40_000);
const PARALLEL = 64;
const PATH = 'restapi/v1.0/account/~/extension/~';

const mock = spawn(process.execPath, [fileURLToPath(new URL('./mock.mjs', import.meta.url))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [line] = await createInterface({ input: mock.stdout })
  [Symbol.asyncIterator]()
  .next()
  .then((r) => [r.value]);
const { url, clientId, clientSecret, token } = JSON.parse(line);
const auth = `Bearer ${token.access_token}`;

let fn;
const noop = {
  name: 'no-op observer',
  observe: { send: (_i, run) => run(), tokenRequest: (_i, run) => run(), tokenWait: (_i, run) => run() },
};
if (which.startsWith('rc')) {
  const rc = createClient({
    server: url,
    clientId,
    clientSecret,
    ...(which === 'rc-undici' && { fetch: undiciFetch() }),
    ...(which === 'rc-noop' && { plugins: [noop] }),
    ...(which === 'rc-otel' && { plugins: [(await import('@rc/otel')).otel()] }),
  });
  await rc.setToken(token);
  fn = () => rc.get(PATH).json();
} else if (which === 'ky' || which === 'ky-undici') {
  const api = ky.create({
    prefix: url,
    ...(which === 'ky-undici' && { fetch: undiciFetch() }),
    hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', auth)] },
  });
  fn = () => api.get(PATH).json();
} else {
  fn = () => fetch(`${url}/${PATH}`, { headers: { authorization: auth } }).then((r) => r.json());
}

const run = async (n) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next++ < n) await fn();
    }),
  );
};
await run(2000); // warm-up
const cpu = process.cpuUsage();
const start = performance.now();
await run(REQUESTS);
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(
  `${which}: ${Math.round((REQUESTS / ms) * 1000)} req/s, ${((used.user + used.system) / REQUESTS).toFixed(1)} µs CPU per request`,
);
mock.stdin.end();
