import { AuthRequiredError, ConfigError, createClient, isRcError } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { SubscriptionError, subscribe } from '../src/index.js';
import { connectUrl, parseWsToken } from '../src/wire.js';
import { EVENT, FAST, FILTERS, mockClient, mockPerTest, numbers, record, waitFor } from './helpers.js';

// The public surface: options checked at the call, errors that are RcErrors and carry no token,
// update(), close() and the signal, state kept in the store across subscribe() calls, and the
// lease among subscriptions sharing a store and key.

const PRESENCE = '/restapi/v1.0/account/~/extension/~/presence';
const t = mockPerTest();
const track = t.track;

describe('options', () => {
  it.each([
    [{}, 'eventFilters'],
    [{ eventFilters: [] }, 'eventFilters'],
    [{ eventFilters: ['message-store'] }, 'eventFilters'],
    [{ eventFilters: FILTERS, event_filters: FILTERS }, 'event_filters'],
    [{ eventFilters: FILTERS, heartbeatIntervalMs: 0 }, 'heartbeatIntervalMs'],
    [{ eventFilters: FILTERS, leaseTtlMs: 1.5 }, 'leaseTtlMs'],
    [{ eventFilters: FILTERS, key: '' }, 'key'],
    [{ eventFilters: FILTERS, signal: {} }, 'signal'],
    [{ eventFilters: FILTERS, onNotification: 'log' }, 'onNotification'],
    [{ eventFilters: FILTERS, reconnectDelayMs: 500, maxReconnectDelayMs: 100 }, 'maxReconnectDelayMs'],
  ])('%o is refused with a ConfigError naming `%s`, before any request', async (options, option) => {
    const error = await subscribe(mockClient(t.mock), options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
    expect(t.mock.stats.requests).toBe(0);
  });

  it('suggests the camelCase name for a wire name', async () => {
    await expect(
      subscribe(mockClient(t.mock), { eventFilters: FILTERS, event_filters: [] } as never),
    ).rejects.toThrow(/Did you mean "eventFilters"/);
  });
});

describe('errors', () => {
  it('a refused connection rejects subscribe() with a SubscriptionError whose URL has no token', async () => {
    t.mock.failNext({
      path: '/restapi/oauth/wstoken',
      status: 200,
      body: { uri: 'ws://127.0.0.1:1/ws', ws_access_token: 'SECRET-WS-TOKEN-123', expires_in: 60 },
    });
    const error = await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SubscriptionError);
    expect(isRcError(error)).toBe(true);
    expect((error as SubscriptionError).code).toBe('RC_SUBSCRIPTION');
    expect((error as Error).message).toMatch(
      /ws:\/\/127\.0\.0\.1:1\/ws\?access_token=(\[|%5B)redacted(\]|%5D)/,
    );
    for (const text of [(error as Error).message, JSON.stringify(error), String(error)]) {
      expect(text).not.toContain('SECRET-WS-TOKEN-123');
    }
  });

  it('the connect URL shown in errors hides both the ws access token and the wsc recovery token', () => {
    const { url, safe } = connectUrl(
      { uri: 'wss://ws.example/ws', token: 'AT-SECRET-1', expiresInSec: 60 },
      'WSC-SECRET-2',
    );
    expect(url).toBe('wss://ws.example/ws?access_token=AT-SECRET-1&wsc=WSC-SECRET-2');
    expect(safe).not.toMatch(/SECRET/);
  });

  it('a wstoken reply naming a plain ws:// gateway off this machine is refused (the token rides in the URL)', () => {
    const reply = (uri: string) => ({ uri, ws_access_token: 'AT-SECRET-1', expires_in: 60 });
    expect(() => parseWsToken(reply('ws://gateway.example/ws'))).toThrow(/wss:\/\/ only/);
    expect(() => parseWsToken(reply('ws://gateway.example/ws'))).not.toThrow(/SECRET/);
    expect(parseWsToken(reply('ws://127.0.0.1:8080/ws')).uri).toBe('ws://127.0.0.1:8080/ws');
    expect(parseWsToken(reply('wss://gateway.example/ws')).uri).toBe('wss://gateway.example/ws');
  });

  it('no token and no grant: subscribe() rejects with AuthRequiredError', async () => {
    const rc = createClient({
      server: t.mock.url,
      clientId: t.mock.clientId,
      clientSecret: t.mock.clientSecret,
    });
    await expect(subscribe(rc, { eventFilters: FILTERS, ...FAST })).rejects.toBeInstanceOf(AuthRequiredError);
  });

  it("a listener that throws is reported on 'error'; delivery goes on", async () => {
    const sub = track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    sub.on('notification', (n) => {
      if ((n.body as { n: number }).n === 1) throw new Error('listener bug');
    });
    t.mock.notify(EVENT, { n: 1 });
    t.mock.notify(EVENT, { n: 2 });
    await waitFor(
      () => seen.notifications.length === 2 && seen.errors.length === 1,
      2_000,
      'both, and the error',
    );
    expect(seen.errors[0]).toBeInstanceOf(SubscriptionError);
    expect(() => (sub.on as (e: string, f: () => void) => void)('message', () => {})).toThrow(
      /unknown event/,
    );
  });
});

describe('update, close and signal', () => {
  it('update() changes the event filters at the gateway', async () => {
    const sub = track(await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST }));
    const seen = record(sub);
    await sub.update([PRESENCE]);
    expect(sub.eventFilters).toEqual([PRESENCE]);
    expect(t.mock.notify(EVENT, { n: 1 })).toBe(0);
    expect(t.mock.notify(PRESENCE, { n: 2 })).toBe(1);
    await waitFor(() => seen.notifications.length === 1, 2_000, 'the presence event');
    expect(numbers(seen.notifications)).toEqual([2]);
    await expect(sub.update([])).rejects.toBeInstanceOf(ConfigError);
  });

  it('close() while a listener never settles resolves at once and leaves no socket behind', async () => {
    const sub = await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST });
    let started = false;
    sub.on('notification', () => {
      started = true;
      return new Promise<void>(() => {}); // a listener stuck forever (a request without a timeout, say)
    });
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => started, 2_000, 'the listener to start');
    const outcome = await Promise.race([
      sub.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 3_000, 'hung')),
    ]);
    expect(outcome).toBe('closed');
    await waitFor(() => t.mock.webSocket.openConnections === 0, 2_000, 'the socket to close');
  });

  it('aborting the signal closes the subscription: deleted at the gateway, socket closed', async () => {
    const controller = new AbortController();
    await subscribe(mockClient(t.mock), { eventFilters: FILTERS, ...FAST, signal: controller.signal });
    expect(t.mock.webSocket.openConnections).toBe(1);
    controller.abort();
    await waitFor(() => t.mock.webSocket.openConnections === 0, 2_000, 'the socket to close');
    expect(t.mock.notify(EVENT, { n: 1 })).toBe(0);
  });

  it('close({ unsubscribe: false }) keeps the session: a new subscribe() on the store recovers it', async () => {
    const store = memoryStore();
    const rc = mockClient(t.mock, store);
    const first = await subscribe(rc, { eventFilters: FILTERS, ...FAST, key: 'sub-a' });
    const id = first.id;
    await first.close({ unsubscribe: false });
    expect(t.mock.notify(EVENT, { n: 1 })).toBe(1); // buffered for recovery
    const second = track(await subscribe(rc, { eventFilters: FILTERS, ...FAST, key: 'sub-a' }));
    const seen = record(second);
    await waitFor(() => seen.notifications.length === 1, 2_000, 'the event sent in between');
    expect(second.id).toBe(id);
    expect(seen.events).toEqual(['recovered', 'connected']);
    expect(numbers(seen.notifications)).toEqual([1]);
  });

  it('works with the ws package as WebSocket (for runtimes without a global one)', async () => {
    const sub = track(
      await subscribe(mockClient(t.mock), {
        eventFilters: FILTERS,
        ...FAST,
        WebSocket: WsWebSocket as never,
      }),
    );
    const seen = record(sub);
    t.mock.notify(EVENT, { n: 1 });
    t.mock.webSocket.drop();
    t.mock.notify(EVENT, { n: 2 });
    await waitFor(() => seen.notifications.length === 2, 3_000, '2 notifications');
    expect(numbers(seen.notifications)).toEqual([1, 2]);
  });
});

describe('one holder among subscriptions sharing a store and key', () => {
  it('the second waits; when the holder leaves (keeping the session), it takes over and recovers', async () => {
    const store = memoryStore();
    const a = await subscribe(mockClient(t.mock, store), { eventFilters: FILTERS, ...FAST, key: 'shared' });
    const b = track(
      await subscribe(mockClient(t.mock, store), { eventFilters: FILTERS, ...FAST, key: 'shared' }),
    );
    expect([a.holder, b.holder]).toEqual([true, false]);
    expect(b.id).toBe(a.id);
    expect(t.mock.webSocket.openConnections).toBe(1);
    const seenA = record(a);
    const seenB = record(b);
    t.mock.notify(EVENT, { n: 1 });
    await waitFor(() => seenA.notifications.length === 1, 2_000, 'the holder to receive');
    await a.close({ unsubscribe: false });
    t.mock.notify(EVENT, { n: 2 });
    await waitFor(() => seenB.notifications.length === 1, 3_000, 'the successor to receive the missed event');
    expect(b.holder).toBe(true);
    expect(seenB.events).toContain('recovered');
    expect([...numbers(seenA.notifications), ...numbers(seenB.notifications)]).toEqual([1, 2]);
  });

  it('without failover, a subscription connects itself and takes no lease', async () => {
    const store = memoryStore();
    const sub = track(
      await subscribe(mockClient(t.mock, store), {
        eventFilters: FILTERS,
        ...FAST,
        key: 'k',
        failover: false,
      }),
    );
    expect(sub.holder).toBe(true);
    expect(t.mock.webSocket.openConnections).toBe(1);
    expect(await store.acquireLease('k', 'someone-else', 1_000)).toBe(true);
  });
});
