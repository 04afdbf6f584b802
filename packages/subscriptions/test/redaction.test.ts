import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type Subscription, SubscriptionError, subscribe } from '../src/index.js';
import { FILTERS, waitFor } from './helpers.js';
import { closeAll, type HostileGateway, startHostileGateway } from './hostile-gateway.js';

// A gateway that quotes what it was sent: its error frames, close reasons and refusals echo the
// ws token and the access token, raw and URL-encoded. Neither may reach an error's message,
// `errorCode`, JSON or inspection. The tokens here are short and shaped like ordinary words, so
// only scrubbing by value (with the tokens the subscription knows) can catch them.

const ACCESS = 'AT+tok/en=77';
let gateway: HostileGateway | undefined;
let sub: Subscription | undefined;

afterEach(async () => {
  await closeAll(sub, gateway);
  [sub, gateway] = [undefined, undefined];
});

/** A body that quotes both tokens in every field, as a careless gateway would. */
const echo = (ws: string) => {
  const quoted = `bad token ${ws} (${encodeURIComponent(ws)}) for ${ACCESS} (${encodeURIComponent(ACCESS)})`;
  return { errorCode: `WSG-${ws}`, message: quoted, errors: [{ errorCode: ACCESS, message: quoted }] };
};

function expectClean(error: unknown, ws: string) {
  expect(error).toBeInstanceOf(SubscriptionError);
  const e = error as SubscriptionError;
  const texts = [e.message, String(e.errorCode), JSON.stringify(e), inspect(e), String(e), e.stack ?? ''];
  for (const secret of [ws, ACCESS]) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      for (const text of texts) expect(text).not.toContain(form);
    }
  }
}

describe('errors that echo the tokens', () => {
  it('an Error frame refusing the connection', async () => {
    gateway = await startHostileGateway();
    gateway.script = { refuse: { frame: { status: 401, body: echo('WS+tok/1=x') } } };
    const error = await subscribe(await gateway.client({ accessToken: ACCESS }), {
      eventFilters: FILTERS,
    }).catch((e) => e);
    expect(gateway.stats.refused).toBeGreaterThan(0);
    for (const token of gateway.tokens) expectClean(error, token);
  });

  it.each([
    ['raw', (t: string) => t],
    ['URL-encoded', encodeURIComponent],
  ])('a close reason (%s)', async (_, form) => {
    gateway = await startHostileGateway();
    gateway.script = {
      refuse: { close: { code: 4403, reason: `no ${form(ACCESS)} / ${form('WS+tok/1=x')}` } },
    };
    const error = await subscribe(await gateway.client({ accessToken: ACCESS }), {
      eventFilters: FILTERS,
    }).catch((e) => e);
    expect((error as Error).message).toMatch(/4403/);
    for (const token of gateway.tokens) expectClean(error, token);
  });

  it('a refused subscription', async () => {
    gateway = await startHostileGateway();
    gateway.script = { subscribeReply: { status: 403, body: echo('WS+tok/1=x') } };
    const error = await subscribe(await gateway.client({ accessToken: ACCESS }), {
      eventFilters: FILTERS,
    }).catch((e) => e);
    expect((error as SubscriptionError).status).toBe(403);
    expectClean(error, 'WS+tok/1=x');
  });

  it("an Error frame on a live connection, reported on 'error'", async () => {
    gateway = await startHostileGateway();
    sub = await subscribe(await gateway.client({ accessToken: ACCESS }), { eventFilters: FILTERS });
    const errors: unknown[] = [];
    sub.on('error', (e) => {
      errors.push(e);
    });
    gateway.broadcast({ type: 'Error', status: 400 }, echo('WS+tok/1=x'));
    await waitFor(() => errors.length === 1, 2_000, 'the error');
    expectClean(errors[0], 'WS+tok/1=x');
  });
});
