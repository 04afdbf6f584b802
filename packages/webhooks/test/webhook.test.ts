import { ApiError, type ConfigError } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import type { MockServer } from '@rc/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhook,
  MAX_EXPIRES_IN,
  type Webhook,
  type WebhookNotification,
  webhookHandler,
} from '../src/index.js';
import {
  EVENT,
  FILTERS,
  mockClient,
  type Receiver,
  sleep,
  startMock,
  startReceiver,
  TOKEN,
  waitFor,
} from './helpers.js';

// createWebhook() against the mock, with a real receiver on a loopback port: the handshake on
// creation, deliveries with the verification token, redeliveries passed on once, renewal,
// blacklisting and recreation, a restart that reuses the subscription.

let mock: MockServer | undefined;
const receivers: Receiver[] = [];
const hooks: Webhook[] = [];
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.close();
  for (const r of receivers.splice(0)) await r.close();
  await mock?.close();
  mock = undefined;
});

/** A receiver whose onNotification records, and fails while `state.fail` is true. */
async function receiver(options: { delayFirstMs?: number } = {}) {
  const state = { fail: false, seen: [] as WebhookNotification[], calls: 0 };
  const r = await startReceiver(
    webhookHandler({
      verificationToken: TOKEN,
      eventFilters: FILTERS,
      onNotification: async (n) => {
        state.calls++;
        if (options.delayFirstMs && state.calls === 1) await sleep(options.delayFirstMs);
        if (state.fail) throw new Error('down');
        state.seen.push(n);
      },
    }),
  );
  receivers.push(r);
  return { ...r, state };
}

async function keep(promise: Promise<Webhook>): Promise<Webhook> {
  const hook = await promise;
  hooks.push(hook);
  return hook;
}

describe('createWebhook() against the mock', () => {
  it('creates the subscription through the handshake; deliveries carry the token and arrive', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await keep(
      createWebhook(rc, { address: r.url, eventFilters: FILTERS, verificationToken: TOKEN }),
    );
    expect(hook.id).toBeDefined();
    expect(mock.webhooks.subscriptions.map((s) => s.id)).toEqual([hook.id]);
    expect(mock.notify(EVENT, { n: 1 })).toBe(1);
    await waitFor(() => r.state.seen.length === 1, 3000, 'the delivery');
    expect(r.state.seen[0]).toMatchObject({ subscriptionId: hook.id, ownerId: '101', body: { n: 1 } });
    expect(r.state.seen[0]?.event).toBe('/restapi/v1.0/account/1/extension/101/message-store');
  });

  it('fails with SUB-525 against a server that does not echo the Validation-Token, and with a late echo', async () => {
    mock = await startMock({ validationTimeoutMs: 300 });
    const mute = await startReceiver(async () => new Response('hello', { status: 200 }));
    const late = await startReceiver(async (req) => {
      await sleep(600);
      return new Response(null, {
        headers: { 'Validation-Token': req.headers.get('Validation-Token') ?? '' },
      });
    });
    receivers.push(mute, late);
    const rc = mockClient(mock);
    for (const address of [mute.url, late.url]) {
      const error = await createWebhook(rc, {
        address,
        eventFilters: FILTERS,
        verificationToken: TOKEN,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).errorCode).toBe('SUB-525');
      expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
    }
    expect(mock.webhooks.subscriptions).toEqual([]);
    expect(mock.webhooks.stats.handshakesFailed).toBe(2);
  });

  it('a delivery without the right token is refused and never passed on; the mock retries it', async () => {
    mock = await startMock({ retryDelaysMs: [20], blacklistAfter: 10 });
    const r = await receiver();
    const rc = mockClient(mock);
    // The subscription's token differs from the handler's: every delivery is a 403.
    await keep(
      createWebhook(rc, { address: r.url, eventFilters: FILTERS, verificationToken: 'another-token' }),
    );
    mock.notify(EVENT, { n: 1 });
    await waitFor(
      () => mock?.webhooks.stats.failedDeliveries === 2,
      3000,
      'the delivery and its retry to fail',
    );
    expect(r.state.calls).toBe(0);
  });

  it('a redelivery (the first answer came too late) is passed on once', async () => {
    mock = await startMock({ deliveryTimeoutMs: 300, retryDelaysMs: [20] });
    const r = await receiver({ delayFirstMs: 600 });
    const rc = mockClient(mock);
    await keep(createWebhook(rc, { address: r.url, eventFilters: FILTERS, verificationToken: TOKEN }));
    mock.notify(EVENT, { n: 1 });
    await waitFor(() => (mock?.webhooks.stats.deliveries ?? 0) >= 2, 3000, 'the redelivery');
    await waitFor(() => r.state.seen.length === 1, 3000, 'the first delivery to finish');
    await sleep(200);
    expect(mock.webhooks.stats.failedDeliveries).toBe(1);
    expect(r.state.seen.map((n) => n.body)).toEqual([{ n: 1 }]);
  });

  it('renews before expiry (same subscription, later expiry)', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await keep(
      createWebhook(rc, {
        address: r.url,
        eventFilters: FILTERS,
        verificationToken: TOKEN,
        expiresIn: 2,
        renewBeforeMs: 1000,
      }),
    );
    const first = mock.webhooks.subscriptions[0]?.expiresAt ?? 0;
    await waitFor(() => (mock?.webhooks.stats.renewed ?? 0) >= 1, 1900, 'a renewal before the 2 s expiry');
    const [sub] = mock.webhooks.subscriptions;
    expect(sub?.id).toBe(hook.id);
    expect(sub?.expiresAt).toBeGreaterThan(first);
    expect(mock.webhooks.stats.created).toBe(1);
  });

  it('a blacklisted subscription is recreated and delivers again', async () => {
    mock = await startMock({ retryDelaysMs: [20], blacklistAfter: 2 });
    const r = await receiver();
    const rc = mockClient(mock);
    const errors: unknown[] = [];
    const hook = await keep(
      createWebhook(rc, {
        address: r.url,
        eventFilters: FILTERS,
        verificationToken: TOKEN,
        checkIntervalMs: 150,
        onError: (e) => errors.push(e),
      }),
    );
    const firstId = hook.id;
    r.state.fail = true;
    mock.notify(EVENT, { n: 1 });
    await waitFor(() => mock?.webhooks.stats.blacklisted === 1, 3000, 'the blacklisting');
    r.state.fail = false;
    await waitFor(() => hook.id !== firstId, 3000, 'the recreation');
    expect(mock.webhooks.subscriptions.map((s) => [s.id, s.status])).toEqual([[hook.id, 'Active']]);
    mock.notify(EVENT, { n: 2 });
    await waitFor(() => r.state.seen.length === 1, 3000, 'a delivery to the new subscription');
    expect(r.state.seen[0]).toMatchObject({ subscriptionId: hook.id, body: { n: 2 } });
    expect(errors).toEqual([]);
  });

  it('an expired (gone) subscription is created again', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await keep(
      createWebhook(rc, {
        address: r.url,
        eventFilters: FILTERS,
        verificationToken: TOKEN,
        expiresIn: 60,
        checkIntervalMs: 100,
      }),
    );
    const firstId = hook.id;
    mock.advanceTime(61_000); // past its expiry on the server's clock: GET answers 404
    await waitFor(() => hook.id !== firstId, 3000, 'the recreation');
    expect(mock.webhooks.subscriptions.map((s) => s.id)).toEqual([hook.id]);
    expect(mock.webhooks.stats.created).toBe(2);
  });

  it('a ten-year subscription sets no timer past setTimeout’s range (it would fire at once, in a loop)', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await keep(
      createWebhook(rc, {
        address: r.url,
        eventFilters: FILTERS,
        verificationToken: TOKEN,
        expiresIn: MAX_EXPIRES_IN,
      }),
    );
    const overflows: string[] = [];
    const onWarning = (w: Error) => void (w.name === 'TimeoutOverflowWarning' && overflows.push(w.message));
    process.on('warning', onWarning);
    await hook.update([...FILTERS]); // reads the subscription again and schedules anew
    await sleep(300);
    process.off('warning', onWarning);
    expect(overflows).toEqual([]);
    expect(mock.webhooks.stats.renewed).toBe(0);
    expect(hook.expiresAt).toBeGreaterThan(Date.now() + 9 * 365 * 86_400_000);
  });

  it('a restart with the same store reuses the subscription (the mock shows one)', async () => {
    mock = await startMock();
    const r = await receiver();
    const store = memoryStore();
    const options = { address: r.url, eventFilters: FILTERS, verificationToken: TOKEN };
    const before = await createWebhook(mockClient(mock, store), options);
    await before.close(); // kept: a restart reuses it
    const after = await keep(createWebhook(mockClient(mock, store), options));
    expect(after.id).toBe(before.id);
    expect(mock.webhooks.subscriptions).toHaveLength(1);
    expect(mock.webhooks.stats.created).toBe(1);
  });

  it('update() changes the filters; close({ unsubscribe: true }) deletes it', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await createWebhook(rc, { address: r.url, eventFilters: FILTERS, verificationToken: TOKEN });
    await hook.update([...FILTERS, '/restapi/v1.0/account/~/extension/~/presence']);
    expect(mock.webhooks.subscriptions[0]?.eventFilters).toHaveLength(2);
    expect(mock.webhooks.subscriptions[0]?.id).toBe(hook.id);
    await hook.close({ unsubscribe: true });
    expect(mock.webhooks.subscriptions).toEqual([]);
  });

  it('undefined means not given (exactOptionalPropertyTypes): the defaults apply', async () => {
    mock = await startMock();
    const r = await receiver();
    const rc = mockClient(mock);
    const hook = await keep(
      createWebhook(rc, {
        address: r.url,
        eventFilters: FILTERS,
        verificationToken: undefined,
        expiresIn: undefined,
        key: undefined,
        leaseTtlMs: undefined,
        renewBeforeMs: undefined,
        checkIntervalMs: undefined,
        onError: undefined,
      }),
    );
    const [sub] = mock.webhooks.subscriptions;
    expect(sub?.id).toBe(hook.id);
    // The default lifetime (7 days); close() with `unsubscribe: undefined` keeps the subscription.
    expect((sub?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(604_000_000);
    await hook.close({ unsubscribe: undefined });
    expect(mock.webhooks.subscriptions).toHaveLength(1);
  });

  it('options are checked at the call', async () => {
    mock = await startMock();
    const rc = mockClient(mock);
    const bad = (o: Record<string, unknown>) =>
      createWebhook(rc, { address: 'https://example.com/hook', eventFilters: FILTERS, ...o }).catch(
        (e: unknown) => e,
      );
    expect(((await bad({ address: 'http://example.com/hook' })) as ConfigError).option).toBe('address');
    expect(((await bad({ expiresIn: 315_360_001 })) as ConfigError).option).toBe('expiresIn');
    expect(((await bad({ eventFilters: [] })) as ConfigError).option).toBe('eventFilters');
    const token = (await bad({ verificationToken: 'has space secret' })) as ConfigError;
    expect(token.option).toBe('verificationToken');
    expect(token.message).not.toContain('secret');
    expect(mock.stats.requests).toBe(0);
  });
});
