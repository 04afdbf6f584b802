import { ApiError } from '@rc/core';
import type { MockServer } from '@rc/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, type Webhook } from '../src/index.js';
import { FILTERS, mockClient, type Receiver, startMock, startReceiver, TOKEN } from './helpers.js';

// The mock's side of creation, as RingCentral's: the handshake must be echoed exactly, in a small
// reply (1 KiB of body and headers at most), else SUB-525; and the mock never POSTs to another
// machine: an address off this host is refused with 400 CMN-101 naming deliveryMode.address.

let mock: MockServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  await mock?.close();
  mock = receiver = undefined;
});

/** Creates a webhook whose address answers the handshake with `reply`: the webhook, or the error. */
async function createAgainst(reply: (token: string) => Response): Promise<Webhook | ApiError> {
  mock = await startMock();
  receiver = await startReceiver(async (req) => reply(req.headers.get('Validation-Token') ?? ''));
  const error = await createWebhook(mockClient(mock), {
    address: receiver.url,
    eventFilters: FILTERS,
    verificationToken: TOKEN,
  }).catch((e: unknown) => e as ApiError);
  return error;
}

const refusal = (outcome: Webhook | ApiError): ApiError => {
  expect(outcome).toBeInstanceOf(ApiError);
  return outcome as ApiError;
};

describe('the mock’s validation handshake', () => {
  it('an echo of another value: SUB-525', async () => {
    const error = await createAgainst(
      (token) => new Response(null, { headers: { 'Validation-Token': `${token}x` } }),
    );
    expect(refusal(error).errorCode).toBe('SUB-525');
    expect(mock?.webhooks.subscriptions).toEqual([]);
    expect(mock?.webhooks.stats.handshakesFailed).toBe(1);
  });

  it('a right echo in a reply over 1 KiB (body, or headers): SUB-525', async () => {
    const bigBody = await createAgainst(
      (token) => new Response('x'.repeat(1100), { headers: { 'Validation-Token': token } }),
    );
    expect(refusal(bigBody).errorCode).toBe('SUB-525');
    await receiver?.close();
    await mock?.close();
    const bigHeaders = await createAgainst(
      (token) =>
        new Response(null, { headers: { 'Validation-Token': token, 'X-Padding': 'p'.repeat(1100) } }),
    );
    expect(refusal(bigHeaders).errorCode).toBe('SUB-525');
    expect(mock?.webhooks.subscriptions).toEqual([]);
  });

  it('a right echo in a small reply: created (the control)', async () => {
    const ok = await createAgainst((token) => new Response('ok', { headers: { 'Validation-Token': token } }));
    expect(ok).not.toBeInstanceOf(Error);
    expect(mock?.webhooks.subscriptions).toHaveLength(1);
    await (ok as Webhook).close({ unsubscribe: true });
  });
});

describe('the mock’s addresses', () => {
  it('an address off this machine: 400 CMN-101 naming deliveryMode.address, and no handshake', async () => {
    mock = await startMock();
    const rc = mockClient(mock);
    // createWebhook() refuses plain http off loopback itself; the wire request is made directly.
    const error = await rc
      .post('/restapi/v1.0/subscription', {
        json: {
          eventFilters: FILTERS,
          deliveryMode: { transportType: 'WebHook', address: 'http://10.1.2.3/hook' },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect([api.status, api.errorCode]).toEqual([400, 'CMN-101']);
    expect(api.errors[0]?.parameterName).toBe('deliveryMode.address');
    expect(api.message).toContain('deliveryMode.address');
    expect(mock.webhooks.stats.handshakesFailed).toBe(0);
    expect(mock.webhooks.subscriptions).toEqual([]);
  });
});
