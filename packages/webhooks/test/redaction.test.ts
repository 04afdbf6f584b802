import { inspect } from 'node:util';
import { passwordGrant } from '@rc/auth-password';
import { ApiError, createClient, logger, type RcClient } from '@rc/core';
import type { MockServer } from '@rc/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, type Webhook, webhookHandler } from '../src/index.js';
import { FILTERS, type Receiver, startMock, startReceiver, waitFor } from './helpers.js';

// The verification token never reaches an error or a log line, even when RingCentral's reply to
// the request that carried it quotes it back (an `errors[].parameterValue` of a 400, say): the
// requests of createWebhook() name it as a secret of theirs, and the client scrubs it by value in
// every rendering, not only the credential-shaped ones (it is short and ordinary-looking).

/** Characters that URL-encoding changes, so the raw and the encoded echo differ. */
const SECRET = 'vt/7f3a+9c=Zq:w';

let mock: MockServer | undefined;
let receiver: Receiver | undefined;
const hooks: Webhook[] = [];
afterEach(async () => {
  for (const hook of hooks.splice(0)) await hook.close();
  await receiver?.close();
  await mock?.close();
  mock = receiver = undefined;
});

/** A RingCentral-shaped 400 quoting the token raw and URL-encoded, in every field it has. */
const echo = {
  errorCode: 'CMN-101',
  message: `Parameter [deliveryMode.verificationToken] value [${SECRET}] is invalid`,
  errors: [
    {
      errorCode: 'CMN-101',
      message: `Parameter [deliveryMode.verificationToken] value [${encodeURIComponent(SECRET)}] is invalid`,
      parameterName: 'deliveryMode.verificationToken',
      parameterValue: SECRET,
    },
  ],
};

function client(m: MockServer, lines: string[]): RcClient {
  return createClient({
    server: m.url,
    clientId: m.clientId,
    clientSecret: m.clientSecret,
    grant: passwordGrant({ username: m.user.username, password: m.user.password }),
    plugins: [logger({ log: (line, entry) => lines.push(line, JSON.stringify(entry)) })],
  });
}

/** Every rendering of an error someone could print or ship to a log service. */
const renderings = (e: Error) => [
  e.message,
  String(e),
  e.stack ?? '',
  JSON.stringify(e),
  inspect(e, { depth: 10 }),
  inspect((e as Error & { cause?: unknown }).cause, { depth: 10 }),
];

function expectNoSecret(texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
  }
}

describe('the verification token in a reply that quotes it', () => {
  it('a 400 to the creating POST: the ApiError and the log lines carry none of it', async () => {
    mock = await startMock();
    receiver = await startReceiver(webhookHandler({ verificationToken: SECRET, onNotification: () => {} }));
    mock.override('POST', '/restapi/v1.0/subscription', { status: 400, body: echo });
    const lines: string[] = [];
    const error = await createWebhook(client(mock, lines), {
      address: receiver.url,
      eventFilters: FILTERS,
      verificationToken: SECRET,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(400);
    expect(api.errorCode).toBe('CMN-101');
    expect(api.errors[0]?.parameterName).toBe('deliveryMode.verificationToken');
    expectNoSecret(renderings(api));
    expect(lines.some((l) => l.includes('← 400 POST'))).toBe(true);
    expectNoSecret(lines);
  });

  it('a 400 to the updating PUT: what onError is told carries none of it', async () => {
    mock = await startMock();
    receiver = await startReceiver(webhookHandler({ verificationToken: SECRET, onNotification: () => {} }));
    const lines: string[] = [];
    const errors: unknown[] = [];
    const hook = await createWebhook(client(mock, lines), {
      address: receiver.url,
      eventFilters: FILTERS,
      verificationToken: SECRET,
      onError: (e) => errors.push(e),
    });
    hooks.push(hook);
    mock.override('PUT', '/restapi/v1.0/subscription/{subscriptionId}', { status: 400, body: echo });
    await hook.update([...FILTERS, '/restapi/v1.0/account/~/extension/~/presence']);
    await waitFor(() => errors.length > 0, 3000, 'the failed update to be reported');
    expect(errors[0]).toBeInstanceOf(ApiError);
    expectNoSecret(renderings(errors[0] as Error));
    expectNoSecret(lines);
  });
});
