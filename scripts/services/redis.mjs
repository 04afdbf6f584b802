// Redis for the test suites: a single node at REDIS_URL and a three-master Redis Cluster, both on
// loopback only. Plain Node ESM with no dependencies, because it runs before `pnpm install` has been
// checked and from CI's bare shell. The one outside tool is `redis-cli --cluster create`, which
// ships with redis-server (Debian's redis-tools).
//
//   node scripts/services/redis.mjs ensure          # a Redis answers at REDIS_URL (start one if not)
//   node scripts/services/redis.mjs cluster-start   # prints the node URLs, one per line
//   node scripts/services/redis.mjs cluster-stop
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one command and resolves to its first reply (a string, a number, null, or an Error for a
 * `-ERR` reply); rejects when nothing answers within `timeoutMs`. Enough RESP for PING, INFO,
 * CLUSTER INFO and SHUTDOWN: no client library is needed, so this works before any install.
 */
export function redisCommand(
  { host = '127.0.0.1', port = 6379, password, username },
  args,
  timeoutMs = 1000,
) {
  const encode = (parts) =>
    `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buffer = Buffer.alloc(0);
    let authPending = password !== undefined;
    const done = (fn, value) => {
      socket.destroy();
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => done(reject, new Error(`no answer from ${host}:${port}`)), timeoutMs);
    socket.on('error', (error) => done(reject, error));
    socket.on('connect', () => {
      if (authPending) socket.write(encode(username ? ['AUTH', username, password] : ['AUTH', password]));
      socket.write(encode(args));
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const reply = parseReply(buffer);
        if (!reply) return;
        buffer = buffer.subarray(reply.length);
        if (authPending) {
          authPending = false;
          if (reply.value instanceof Error) return done(reject, reply.value);
          continue;
        }
        return done(resolve, reply.value);
      }
    });
    // SHUTDOWN closes the connection without a reply.
    socket.on('close', () => done(resolve, null));
  });
}

function parseReply(buffer) {
  const end = buffer.indexOf('\r\n');
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[0]);
  const line = buffer.subarray(1, end).toString('utf8');
  if (type === '+') return { value: line, length: end + 2 };
  if (type === '-') return { value: new Error(line), length: end + 2 };
  if (type === ':') return { value: Number(line), length: end + 2 };
  if (type === '$') {
    const size = Number(line);
    if (size < 0) return { value: null, length: end + 2 };
    if (buffer.length < end + 2 + size + 2) return undefined;
    return { value: buffer.subarray(end + 2, end + 2 + size).toString('utf8'), length: end + 2 + size + 2 };
  }
  throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
}

function parseUrl(url) {
  const u = new URL(url);
  if (u.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported here (got ${u.protocol})`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(u.port || 6379),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    username: u.username ? decodeURIComponent(u.username) : undefined,
  };
}

const ping = async (target) => (await redisCommand(target, ['PING']).catch(() => undefined)) === 'PONG';

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Installs redis-server (and redis-cli) from Debian when the binary is missing. */
export function ensureRedisBinary() {
  if (existsSync('/usr/bin/redis-server') && existsSync('/usr/bin/redis-cli')) return;
  console.error('[redis] redis-server not found: installing it from Debian (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}

/**
 * Makes sure a Redis answers PING at `url`; if none does, starts one on that loopback port
 * (daemonized, no persistence) and waits until it answers. Resolves to `{ url, started }`.
 */
export async function ensureRedis(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') {
  const target = parseUrl(url);
  if (await ping(target)) return { url, started: false };
  if (!LOOPBACK.has(target.host))
    throw new Error(
      `no Redis answers at ${target.host}:${target.port}, and only a loopback one may be started`,
    );
  ensureRedisBinary();
  const args = [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(target.port),
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  if (target.password) args.push('--requirepass', target.password);
  const r = spawnSync('redis-server', args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`redis-server failed to start (exit ${r.status})`);
  await waitFor(() => ping(target), 10_000, `Redis on 127.0.0.1:${target.port}`);
  return { url, started: true };
}

/** Starts a plain (non-daemonized) redis-server child on a loopback port, for fault tests. */
export function spawnRedisServer(port, extraArgs = []) {
  ensureRedisBinary();
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    ...extraArgs,
  ];
  return spawn('redis-server', args, { stdio: 'ignore' });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const clusterPorts = (basePort) => [basePort, basePort + 1, basePort + 2];
const defaultClusterDir = (basePort) => join(tmpdir(), `rc-redis-cluster-${basePort}`);
const node = (port) => ({ host: '127.0.0.1', port });

async function clusterHealthy(ports) {
  for (const port of ports) {
    const info = await redisCommand(node(port), ['CLUSTER', 'INFO']).catch(() => undefined);
    if (typeof info !== 'string' || !info.includes('cluster_state:ok')) return false;
  }
  return true;
}

/**
 * Starts a Redis Cluster of three masters on 127.0.0.1:basePort..basePort+2 (cluster bus on
 * port + 10000), or reuses one already healthy there. Resolves to `{ nodes, reused, stop() }`;
 * `stop()` shuts down only a cluster this call started.
 */
export async function startRedisCluster({ basePort = 7100, dir = defaultClusterDir(basePort) } = {}) {
  const ports = clusterPorts(basePort);
  const nodes = ports.map((p) => `redis://127.0.0.1:${p}`);
  if (await clusterHealthy(ports)) return { nodes, reused: true, stop: async () => {} };
  // Another process may be starting it right now (two test runs at once): give it a moment.
  const answering = await Promise.all(ports.map((p) => ping(node(p))));
  if (answering.some(Boolean)) {
    const ok = await waitFor(() => clusterHealthy(ports), 15_000, 'cluster').then(
      () => true,
      () => false,
    );
    if (ok) return { nodes, reused: true, stop: async () => {} };
    throw new Error(`ports ${ports.join(', ')} answer but hold no healthy cluster: run cluster-stop first`);
  }
  ensureRedisBinary();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const port of ports) {
    const args = [
      ...['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--dir', dir],
      ...[
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
      ],
      ...['--save', '', '--appendonly', 'no', '--logfile', join(dir, `redis-${port}.log`)],
    ];
    const r = spawnSync('redis-server', args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`redis-server on port ${port} failed to start (exit ${r.status})`);
  }
  await waitFor(
    async () => (await Promise.all(ports.map((p) => ping(node(p))))).every(Boolean),
    10_000,
    'cluster nodes',
  );
  const create = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { encoding: 'utf8' },
  );
  if (create.status !== 0) {
    await stopRedisCluster({ basePort, dir });
    throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
  }
  await waitFor(() => clusterHealthy(ports), 20_000, 'cluster_state:ok on every node');
  return { nodes, reused: false, stop: () => stopRedisCluster({ basePort, dir }) };
}

/** Shuts down the cluster nodes on basePort..basePort+2 (whoever started them) and removes `dir`. */
export async function stopRedisCluster({ basePort = 7100, dir = defaultClusterDir(basePort) } = {}) {
  const ports = clusterPorts(basePort);
  await Promise.all(ports.map((p) => redisCommand(node(p), ['SHUTDOWN', 'NOSAVE']).catch(() => undefined)));
  await waitFor(
    async () => !(await Promise.all(ports.map((p) => ping(node(p))))).some(Boolean),
    10_000,
    'cluster shutdown',
  );
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command] = process.argv.slice(2);
  const basePort = Number(process.env.REDIS_CLUSTER_BASE_PORT ?? 7100);
  const main = {
    ensure: async () => {
      const { url, started } = await ensureRedis();
      console.log(`${started ? 'started' : 'found'} Redis at ${new URL(url).host}`);
    },
    'cluster-start': async () => {
      const { nodes, reused } = await startRedisCluster({ basePort });
      console.error(reused ? '[redis] reusing the cluster already running' : '[redis] cluster started');
      console.log(nodes.join('\n'));
    },
    'cluster-stop': () => stopRedisCluster({ basePort }),
  }[command];
  if (!main) {
    console.error('usage: node scripts/services/redis.mjs ensure | cluster-start | cluster-stop');
    process.exit(2);
  }
  main().catch((error) => {
    console.error(`[redis] ${error.message}`);
    process.exit(1);
  });
}
