import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureRedis } from '../../../scripts/services/redis.mjs';
import { bundleScript, type Child, killChildren, startChild } from '../../../test-support/child-process.js';
import { mockLogin } from '../../../test-support/mock-client.js';
import { deleteTestKeys } from '../../../test-support/redis-cleanup.js';
import { webhookHandler } from '../src/index.js';
import { type Receiver, startMock, startReceiver, TOKEN, waitFor } from './helpers.js';

// Three real processes keeping one webhook on one Redis: exactly one renews (holds the lease); SIGKILL it and
// another takes the lease and renews before the subscription expires — still one subscription.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const outfile = fileURLToPath(new URL('../node_modules/.cache/rc-webhooks-renewer.mjs', import.meta.url));
const namespace = `rc-test-webhooks-${randomBytes(5).toString('hex')}`;
const key = `webhook:${randomBytes(4).toString('hex')}`;
let mock: MockServer;
let receiver: Receiver;

beforeAll(async () => {
  await ensureRedis(redisUrl);
  await bundleScript(fileURLToPath(new URL('./fixtures/renewer.ts', import.meta.url)), outfile);
  mock = await startMock();
  receiver = await startReceiver(webhookHandler({ verificationToken: TOKEN, onNotification: () => {} }));
});
afterEach(async () => {
  killChildren();
  await deleteTestKeys(redisUrl, namespace, mock, key);
});
afterAll(async () => {
  await receiver?.close();
  await mock?.close();
});

function start(): Child {
  return startChild(outfile, {
    env: {
      RC_CHILD: JSON.stringify({
        ...mockLogin(mock),
        redisUrl,
        namespace,
        key,
        address: receiver.url,
        token: TOKEN,
      }),
    },
  });
}

it('three processes on one Redis: one renewer; killed, another renews before expiry', async () => {
  const of = (child: Child, type: string) => child.lines.filter((l) => l.type === type);
  const first = start();
  await waitFor(() => of(first, 'ready').length === 1, 15_000, 'the first process to create the webhook');
  const others = [start(), start()];
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
  first.process.kill('SIGKILL');
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
  expect([first, ...others].flatMap((c) => of(c, 'error'))).toEqual([]);
  expect(mock.webhooks.subscriptions.map((s) => s.id)).toEqual([id]);
  expect(mock.webhooks.stats.created).toBe(1);
}, 60_000);
