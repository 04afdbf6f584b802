import { afterEach, describe, expect, it } from 'vitest';
import { type Subscription, subscribe } from '../src/index.js';
import { FILTERS, record, waitFor } from './helpers.js';
import { closeAll, type HostileGateway, startHostileGateway } from './hostile-gateway.js';

// The ws token is reused for reconnects (wstoken is in the Auth group, about 5 a minute), but a
// gateway may accept each ws token once, as RingCentral's guide implies (a new ws token before
// reconnecting). A refused token — an Error frame with status 401, or a close 4401 without a
// frame — gets a new ws token at once, not after a backoff (1-2.8 s without a holder, in the soak).

let gateway: HostileGateway | undefined;
let sub: Subscription | undefined;
afterEach(async () => {
  await closeAll(sub, gateway);
  [sub, gateway] = [undefined, undefined];
});

const SLOW_BACKOFF = { eventFilters: FILTERS, reconnectDelayMs: 2_000, maxReconnectDelayMs: 4_000 };

describe('a ws token the gateway refuses on reconnect', () => {
  it('close 4401 (each ws token opens one connection): a new token and a connection at once', async () => {
    gateway = await startHostileGateway({ singleUse: true });
    sub = await subscribe(await gateway.client(), SLOW_BACKOFF);
    let connectedOnSecond = false;
    sub.on('connected', () => {
      if (gateway?.stats.connections === 2) connectedOnSecond = true;
    });
    for (const ws of gateway.sockets) ws.terminate();
    // The reconnect after a drop (backoff: the connection was young), refused: a new token at once.
    await waitFor(() => gateway?.stats.connections === 2, 8_000, 'the second connection');
    expect(gateway.stats.connectedAt - gateway.stats.refusedAt).toBeLessThan(1_000); // the backoff is 1-2 s
    expect(gateway.stats.refused).toBe(1);
    expect(gateway.stats.wstokens).toBe(2);
    // 'connected' for the second connection (the first's may land after subscribe() resolved).
    await waitFor(() => connectedOnSecond, 2_000, "'connected' on the second connection");
  });

  it('an Error frame with status 401: the same', async () => {
    gateway = await startHostileGateway();
    sub = await subscribe(await gateway.client(), SLOW_BACKOFF);
    const body = { errorCode: 'WSG-401', message: 'expired' };
    gateway.script = { refuse: { frame: { status: 401, body }, times: 1 } };
    for (const ws of gateway.sockets) ws.terminate();
    await waitFor(() => gateway?.stats.connections === 2, 8_000, 'the second connection');
    expect(gateway.stats.refused).toBe(1);
    expect(gateway.stats.connectedAt - gateway.stats.refusedAt).toBeLessThan(1_000); // the backoff is 1-2 s
    expect(gateway.stats.wstokens).toBe(2);
  });

  it('a new token refused too: then the backoff applies (no loop)', async () => {
    gateway = await startHostileGateway();
    sub = await subscribe(await gateway.client(), SLOW_BACKOFF);
    gateway.script = { refuse: { close: { code: 4401, reason: 'Unauthorized' } } };
    for (const ws of gateway.sockets) ws.terminate();
    await waitFor(() => (gateway?.stats.refused ?? 0) >= 2, 8_000, 'two refusals');
    await new Promise((r) => setTimeout(r, 500));
    expect(gateway.stats.refused).toBe(2);
    expect(gateway.stats.wstokens).toBe(2);
  });
});
