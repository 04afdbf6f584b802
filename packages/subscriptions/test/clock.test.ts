import { ConfigError } from '@rc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Subscription, subscribe } from '../src/index.js';
import { FAST, FILTERS, waitFor } from './helpers.js';
import { closeAll, type HostileGateway, startHostileGateway } from './hostile-gateway.js';

// The clock is an option (`now`, epoch ms), as createClient() takes it: what the subscription
// reckons by it — the ws token's reuse window, the lease, the saved expiry — moves with it.

let gateway: HostileGateway | undefined;
let sub: Subscription | undefined;
afterEach(async () => {
  await closeAll(sub, gateway);
  [sub, gateway] = [undefined, undefined];
});

describe('the `now` option', () => {
  it('must be a function', async () => {
    gateway = await startHostileGateway();
    const error = await subscribe(await gateway.client(), { eventFilters: FILTERS, now: 5 as never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('now');
  });

  it('decides when the ws token is too old to reuse', async () => {
    gateway = await startHostileGateway();
    let offset = 0;
    const now = () => Date.now() + offset;
    sub = await subscribe(await gateway.client({ tokenTtlSec: 300 }), {
      eventFilters: FILTERS,
      ...FAST,
      now,
    });
    for (const ws of gateway.sockets) ws.terminate();
    await waitFor(() => gateway?.stats.connections === 2, 3_000, 'the second connection');
    expect(gateway.stats.wstokens).toBe(1); // reused: well within 80 % of 300 s
    offset = 250_000; // past 80 % of its life on the given clock
    for (const ws of gateway.sockets) ws.terminate();
    await waitFor(() => gateway?.stats.connections === 3, 3_000, 'the third connection');
    expect(gateway.stats.wstokens).toBe(2);
  });
});
