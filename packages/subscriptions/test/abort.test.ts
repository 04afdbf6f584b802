import { createClient } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { SubscriptionError, subscribe } from '../src/index.js';
import { FILTERS, waitFor } from './helpers.js';
import { type HostileGateway, type Script, startHostileGateway } from './hostile-gateway.js';
import { trackTimers } from './timers.js';

// subscribe()'s `signal` is honoured while connecting, at every step that waits: the wstoken
// request, the socket and its ConnectionDetails, the subscribe request, the store. An abort at
// 300 ms rejects at once (it took 10-15 s, the deadlines of each step; 1 s allows for a loaded
// machine) and leaves nothing behind.

let gateway: HostileGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** Aborts at 300 ms; resolves with the rejection and how long after the abort it came. */
async function abortAt300(run: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const started = Date.now();
  const error = await run(controller.signal).then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  return { error, afterAbort: Date.now() - started - 300 };
}

describe('an abort while connecting', () => {
  it.each<[string, Script]>([
    ['the socket never sends ConnectionDetails', { silentOnOpen: true }],
    ['the subscribe request is never answered', { replyDelayMs: Number.POSITIVE_INFINITY }],
  ])('%s: rejects at once, no socket or timer left', async (_, script) => {
    const timers = trackTimers();
    try {
      gateway = await startHostileGateway(script);
      const rc = await gateway.client();
      const { error, afterAbort } = await abortAt300((signal) =>
        subscribe(rc, { eventFilters: FILTERS, signal }),
      );
      expect(error).toBeInstanceOf(SubscriptionError);
      expect((error as Error).message).toMatch(/abort/i);
      expect(afterAbort).toBeLessThan(1_000);
      await waitFor(() => gateway?.sockets.size === 0, 2_000, 'the socket to close');
      expect(timers.pending()).toEqual([]);
    } finally {
      timers.restore();
    }
  });

  it('the wstoken request hangs: rejects at once', async () => {
    let aborted = false;
    const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        signal?.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    const rc = createClient({ server: 'http://127.0.0.1:9', clientId: 'cid', fetch, retry: 0 });
    await rc.setToken({ access_token: 'AT-1234567', token_type: 'bearer', expires_in: 3600 });
    const { error, afterAbort } = await abortAt300((signal) =>
      subscribe(rc, { eventFilters: FILTERS, signal }),
    );
    expect(error).toBeInstanceOf(SubscriptionError);
    expect(afterAbort).toBeLessThan(1_000);
    expect(aborted).toBe(true); // the request itself was aborted, not only waited for
  });

  it('the store hangs (taking the lease): rejects at once', async () => {
    gateway = await startHostileGateway();
    const store = memoryStore();
    // A store that stopped answering (a Redis behind a dead network path, without a command timeout).
    store.acquireLease = () => new Promise<never>(() => {});
    const rc = await gateway.client({ store });
    const { error, afterAbort } = await abortAt300((signal) =>
      subscribe(rc, { eventFilters: FILTERS, signal }),
    );
    expect(error).toBeInstanceOf(SubscriptionError);
    expect(afterAbort).toBeLessThan(1_000);
    expect(gateway.stats.connections).toBe(0);
  });
});
