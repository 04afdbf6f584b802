import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { redisStore } from '@rc/store-redis';
import type { MockServer } from '@rc/testing';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureRedis } from '../../../scripts/services/redis.mjs';
import { webhookHandler } from '../src/index.js';
import { mockClient, type Receiver, startMock, startReceiver, TOKEN, waitFor } from './helpers.js';

// Three real processes keeping one webhook on one Redis: exactly one renews (holds the lease); SIGKILL it and
// another takes the lease and renews before the subscription expires — still one subscription.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outfile = fileURLToPath(new URL('../node_modules/.cache/rc-webhooks-renewer.mjs', import.meta.url));
const namespace = `rc-test-webhooks-${randomBytes(5).toString('hex')}`;
const key = `webhook:${randomBytes(4).toString('hex')}`;
let mock: MockServer;
let receiver: Receiver;
const children: ChildProcess[] = [];

interface Line {
  pid: number;
  type: string;
  [k: string]: unknown;
}

beforeAll(async () => {
  await ensureRedis(redisUrl);
  mkdirSync(fileURLToPath(new URL('../node_modules/.cache/', import.meta.url)), { recursive: true });
  const src = (pkg: string) => `${root}packages/${pkg}/src/index.ts`;
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/renewer.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
    alias: {
      '@rc/core/kit': src('core').replace(/index\.ts$/, 'kit.ts'),
      ...Object.fromEntries(
        ['core', 'auth-password', 'store-redis', 'webhooks'].map((p) => [`@rc/${p}`, src(p)]),
      ),
    },
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  mock = await startMock();
  receiver = await startReceiver(webhookHandler({ verificationToken: TOKEN, onNotification: () => {} }));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  const store = redisStore({ url: redisUrl, namespace });
  await store.delete(mockClient(mock, store).sessionKey);
  await store.deleteState(key);
  await store.close();
});
afterAll(async () => {
  await receiver?.close();
  await mock?.close();
});

function start(lines: Line[]): ChildProcess {
  const child = spawn(process.execPath, [outfile], {
    env: {
      PATH: process.env.PATH ?? '',
      RC_CHILD: JSON.stringify({
        mockUrl: mock.url,
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        username: mock.user.username,
        password: mock.user.password,
        redisUrl,
        namespace,
        key,
        address: receiver.url,
        token: TOKEN,
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i).trim();
      buffer = buffer.slice(i + 1);
      if (line) lines.push(JSON.parse(line) as Line);
    }
  });
  children.push(child);
  return child;
}

it('three processes on one Redis: one renewer; killed, another renews before expiry', async () => {
  const lines: Line[] = [];
  const of = (child: ChildProcess, type: string) =>
    lines.filter((l) => l.pid === child.pid && l.type === type);
  const first = start(lines);
  await waitFor(() => of(first, 'ready').length === 1, 15_000, 'the first process to create the webhook');
  const others = [start(lines), start(lines)];
  await waitFor(() => others.every((c) => of(c, 'ready').length === 1), 15_000, 'the other two to start');
  const id = of(first, 'ready')[0]?.id;
  expect(of(first, 'ready')[0]?.holder).toBe(true);
  expect(others.map((c) => of(c, 'ready')[0])).toMatchObject([
    { holder: false, id },
    { holder: false, id },
  ]);
  // Renewals (the mock counts them) while only the first process holds the renewer's lease.
  await waitFor(() => mock.webhooks.stats.renewed >= 1, 10_000, 'a renewal by the first process');
  expect(others.flatMap((c) => of(c, 'gained'))).toEqual([]);

  const before = mock.webhooks.subscriptions[0]?.expiresAt ?? 0;
  const renewedBefore = mock.webhooks.stats.renewed;
  first.kill('SIGKILL');
  // Another process takes the lease and renews while the subscription still lives.
  // (8 s subscriptions renewed 5 s before they end: a survivor has about 5 s to take over and renew.)
  await waitFor(
    () =>
      mock.webhooks.stats.renewed > renewedBefore &&
      (mock.webhooks.subscriptions[0]?.expiresAt ?? 0) > before,
    10_000,
    'a renewal by a survivor',
  );
  expect(Date.now()).toBeLessThan(before); // before the subscription would have expired
  expect(others.filter((c) => of(c, 'gained').length > 0)).toHaveLength(1);
  expect(lines.filter((l) => l.type === 'error')).toEqual([]);
  expect(mock.webhooks.subscriptions.map((s) => s.id)).toEqual([id]);
  expect(mock.webhooks.stats.created).toBe(1);
}, 60_000);
