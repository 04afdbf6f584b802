import { randomBytes } from 'node:crypto';
import { ConfigError, isRcError } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { redisStore } from '@rc/store-redis';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis } from '../../../scripts/services/redis.mjs';
import { type WebhookNotification, webhookHandler } from '../src/index.js';
import { payload, type Receiver, startReceiver, TOKEN } from './helpers.js';

// The receiver over real HTTP on loopback (node:http through toNodeHandler()), and the same
// handler mounted in a Hono app: handshake, verification, body checks, de-duplication, failures.

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function recorder(fail = 0) {
  const seen: WebhookNotification[] = [];
  let failures = fail;
  const handler = webhookHandler({
    verificationToken: TOKEN,
    onNotification: (n) => {
      if (failures-- > 0) throw new Error('the database is down');
      seen.push(n);
    },
  });
  return { seen, handler };
}

const post = (url: string, body: string | undefined, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body ?? null,
  });

describe('webhookHandler() in node:http', () => {
  it('answers the validation handshake: 200, the same Validation-Token, a small body', async () => {
    const { seen, handler } = recorder();
    receiver = await startReceiver(handler);
    const res = await post(receiver.url, undefined, { 'Validation-Token': 'abc-123' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Validation-Token')).toBe('abc-123');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(seen).toEqual([]);
  });

  it('refuses a delivery with a missing or wrong verification token (403), passing nothing on', async () => {
    const { seen, handler } = recorder();
    receiver = await startReceiver(handler);
    const missing = await post(receiver.url, payload('u-1'));
    const wrong = await post(receiver.url, payload('u-2'), {
      'Verification-Token': 'verification-token-7f3a9d',
    });
    const longer = await post(receiver.url, payload('u-3'), { 'Verification-Token': `${TOKEN}x` });
    expect([missing.status, wrong.status, longer.status]).toEqual([403, 403, 403]);
    for (const res of [missing, wrong, longer]) expect(await res.text()).not.toContain(TOKEN);
    expect(seen).toEqual([]);
    const right = await post(receiver.url, payload('u-4', { n: 4 }), { 'Verification-Token': TOKEN });
    expect(right.status).toBe(200);
    expect(seen.map((n) => [n.uuid, n.body])).toEqual([['u-4', { n: 4 }]]);
  });

  it('refuses malformed bodies (400), oversized ones (413) and other methods (405)', async () => {
    const seen: WebhookNotification[] = [];
    receiver = await startReceiver(
      webhookHandler({
        verificationToken: TOKEN,
        maxBodyBytes: 2048,
        onNotification: (n) => void seen.push(n),
      }),
    );
    const auth = { 'Verification-Token': TOKEN };
    expect((await post(receiver.url, '{not json', auth)).status).toBe(400);
    expect((await post(receiver.url, '[1,2]', auth)).status).toBe(400);
    expect((await post(receiver.url, JSON.stringify({ event: '/x', body: {} }), auth)).status).toBe(400);
    expect((await post(receiver.url, payload('u-big', { pad: 'x'.repeat(4096) }), auth)).status).toBe(413);
    // Chunked (no Content-Length): counted as it streams in.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        c.close();
      },
    });
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: auth,
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await fetch(receiver.url, { headers: auth })).status).toBe(405);
    expect(seen).toEqual([]);
  });

  it('passes a notification delivered twice (a retry) on once', async () => {
    const { seen, handler } = recorder();
    receiver = await startReceiver(handler);
    const auth = { 'Verification-Token': TOKEN };
    const replies = await Promise.all([
      post(receiver.url, payload('u-dup'), auth),
      post(receiver.url, payload('u-dup'), auth),
    ]);
    expect((await post(receiver.url, payload('u-dup'), auth)).status).toBe(200);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(seen.map((n) => n.uuid)).toEqual(['u-dup']);
  });

  it('answers 500 when onNotification throws, and passes the redelivery on (at-least-once)', async () => {
    const errors: unknown[] = [];
    const seen: WebhookNotification[] = [];
    let fail = true;
    receiver = await startReceiver(
      webhookHandler({
        verificationToken: TOKEN,
        onNotification: (n) => {
          if (fail) throw new Error('the database is down');
          seen.push(n);
        },
        onError: (e) => errors.push(e),
      }),
    );
    const auth = { 'Verification-Token': TOKEN };
    expect((await post(receiver.url, payload('u-retry'), auth)).status).toBe(500);
    fail = false;
    expect((await post(receiver.url, payload('u-retry'), auth)).status).toBe(200);
    expect(seen.map((n) => n.uuid)).toEqual(['u-retry']);
    expect(errors).toHaveLength(1);
  });

  it('de-duplicates across connections to one Redis (two handlers, two redisStore clients, at once)', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    await ensureRedis(redisUrl);
    const namespace = `rc-test-webhooks-dedup-${randomBytes(5).toString('hex')}`;
    const stores = [redisStore({ url: redisUrl, namespace }), redisStore({ url: redisUrl, namespace })];
    try {
      const seen: string[] = [];
      // The shortest memory the option allows: the leases expire on their own a second later.
      const [a, b] = stores.map((store) =>
        webhookHandler({
          verificationToken: TOKEN,
          store,
          dedupTtlMs: 1000,
          onNotification: (n) => void seen.push(n.uuid),
        }),
      ) as [ReturnType<typeof webhookHandler>, ReturnType<typeof webhookHandler>];
      const uuid = `u-${randomBytes(4).toString('hex')}`;
      const request = () =>
        new Request('http://127.0.0.1/webhook', {
          method: 'POST',
          headers: { 'Verification-Token': TOKEN },
          body: payload(uuid),
        });
      const answers = await Promise.all([a(request()), b(request()), a(request()), b(request())]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(seen).toEqual([uuid]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('de-duplicates across processes sharing a store (two handlers, one store)', async () => {
    const store = memoryStore();
    const seen: string[] = [];
    const make = () =>
      webhookHandler({ verificationToken: TOKEN, store, onNotification: (n) => void seen.push(n.uuid) });
    const [a, b] = [make(), make()];
    const request = () =>
      new Request('http://127.0.0.1/webhook', {
        method: 'POST',
        headers: { 'Verification-Token': TOKEN },
        body: payload('u-shared'),
      });
    expect((await a(request())).status).toBe(200);
    expect((await b(request())).status).toBe(200);
    expect(seen).toEqual(['u-shared']);
  });
});

describe('webhookHandler() in a Hono app', () => {
  it('handshake, verification and delivery through app.request()', async () => {
    const { seen, handler } = recorder();
    const app = new Hono();
    app.post('/webhook', (c) => handler(c.req.raw));
    const handshake = await app.request('/webhook', {
      method: 'POST',
      headers: { 'Validation-Token': 'h-1' },
    });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('Validation-Token')).toBe('h-1');
    const refused = await app.request('/webhook', { method: 'POST', body: payload('u-h1') });
    expect(refused.status).toBe(403);
    const ok = await app.request('/webhook', {
      method: 'POST',
      headers: { 'Verification-Token': TOKEN },
      body: payload('u-h2'),
    });
    expect(ok.status).toBe(200);
    expect(seen.map((n) => n.uuid)).toEqual(['u-h2']);
  });
});

describe('webhookHandler() options', () => {
  it('are checked at the call: ConfigError naming the option, never quoting the token', () => {
    const bad = (o: unknown) => {
      try {
        webhookHandler(o as Parameters<typeof webhookHandler>[0]);
      } catch (error) {
        return error;
      }
      throw new Error('no error');
    };
    const noToken = bad({ onNotification: () => {} }) as ConfigError;
    expect(noToken).toBeInstanceOf(ConfigError);
    expect(noToken.option).toBe('verificationToken');
    expect((bad({ verificationToken: TOKEN }) as ConfigError).option).toBe('onNotification');
    expect(
      (bad({ verificationToken: TOKEN, onNotification: () => {}, maxBodyBytes: 1 }) as ConfigError).option,
    ).toBe('maxBodyBytes');
    const misspelt = bad({
      verificationToken: TOKEN,
      onNotification: () => {},
      verification_token: TOKEN,
    }) as Error;
    expect(isRcError(misspelt)).toBe(true);
    expect(`${misspelt.message} ${JSON.stringify(misspelt)}`).not.toContain(TOKEN);
    expect(
      (bad({ verificationToken: TOKEN, onNotification: () => {}, store: {} }) as ConfigError).option,
    ).toBe('store');
  });

  it('undefined means not given (exactOptionalPropertyTypes): the defaults apply', async () => {
    const seen: string[] = [];
    const handler = webhookHandler({
      verificationToken: TOKEN,
      onNotification: (n) => void seen.push(n.uuid),
      eventFilters: undefined,
      store: undefined,
      replyWithinMs: undefined,
      dedupTtlMs: undefined,
      maxBodyBytes: undefined,
      onError: undefined,
    });
    const request = () =>
      new Request('http://127.0.0.1/webhook', {
        method: 'POST',
        headers: { 'Verification-Token': TOKEN },
        body: payload('u-undefined'),
      });
    expect((await handler(request())).status).toBe(200);
    expect((await handler(request())).status).toBe(200);
    expect(seen).toEqual(['u-undefined']);
  });
});
