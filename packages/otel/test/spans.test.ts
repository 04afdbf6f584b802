import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { rateLimitedThenHeld } from '../../../test-support/rate-limited.js';
import { otel } from '../src/index.js';
import { EXT, EXT_TEMPLATE, mockServer, named, parentOf, sdk, tracedClient } from './fixtures.js';

describe('otel(): spans of API requests and of the token flow', () => {
  it('a call: a login span, then one CLIENT span named by the operation, under the caller’s span', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const seen: (string | null)[] = [];
    const { rc } = tracedClient(server, telemetry, {
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('traceparent'));
        return fetch(input, init);
      },
    });
    const tracer = telemetry.tracerProvider.getTracer('test');
    await tracer.startActiveSpan('demo', async (root) => {
      await rc.get(EXT).json();
      root.end();
    });
    const spans = telemetry.spans();
    const [demo] = named(spans, 'demo');
    const [login] = named(spans, 'rc.token.login');
    const [call] = named(spans, `GET ${EXT_TEMPLATE}`);
    expect(demo && login && call).toBeTruthy();
    expect(parentOf(call!)).toBe(demo!.spanContext().spanId);
    expect(call!.kind).toBe(SpanKind.CLIENT);
    expect(call!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${server.url}${EXT}`,
      'url.template': EXT_TEMPLATE,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.url).port),
      'http.response.status_code': 200,
      'rc.operation.id': 'readExtension',
      'rc.rate_limit.group': 'Light',
    });
    expect(call!.attributes['rc.request_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(call!.attributes['http.request.resend_count']).toBeUndefined();
    // The login ran while the request waited for its token: both under the same caller.
    expect(login!.attributes).toMatchObject({
      'rc.token.kind': 'login',
      'rc.token.grant_type': 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'rc.token.outcome': 'success',
      'http.response.status_code': 200,
    });
    // The request waited for the login in flight; the login waited for the store's lock.
    const waits = named(spans, 'rc.token.wait').map((w) => w.attributes['rc.token.wait.reason']);
    expect(waits.sort()).toEqual(['inflight', 'lock']);
    // The wire request carries the span's context: the server side would be its child.
    const ctx = call!.spanContext();
    expect(seen).toEqual([null, `00-${ctx.traceId}-${ctx.spanId}-01`].slice(seen.length === 2 ? 0 : 1));
    const duration = await telemetry.points('http.client.request.duration');
    expect(duration).toHaveLength(1);
    expect(duration[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': EXT_TEMPLATE,
      'rc.rate_limit.group': 'Light',
      'http.response.status_code': 200,
    });
  });

  it('a 401: the first send fails, a refresh span, and the re-send has http.request.resend_count 1', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    await rc.get(EXT).json();
    server.invalidateAccessTokens();
    await rc.get(EXT).json();
    const calls = named(telemetry.spans(), `GET ${EXT_TEMPLATE}`);
    expect(calls.map((s) => s.attributes['http.response.status_code'])).toEqual([200, 401, 200]);
    expect(calls[1]!.attributes['error.type']).toBe('401');
    expect(calls[2]!.attributes['http.request.resend_count']).toBe(1);
    const [refresh] = named(telemetry.spans(), 'rc.token.refresh');
    expect(refresh!.attributes).toMatchObject({
      'rc.token.kind': 'refresh',
      'rc.token.grant_type': 'refresh_token',
      'rc.token.outcome': 'success',
    });
    // Between the two sends.
    expect(refresh!.startTime >= calls[1]!.endTime || refresh!.startTime[0] >= calls[1]!.endTime[0]).toBe(
      true,
    );
    const refreshes = await telemetry.points('rc.token.refreshes');
    expect(refreshes).toEqual([
      expect.objectContaining({ attributes: { 'rc.token.outcome': 'success' }, value: 1 }),
    ]);
  });

  it('a 401, then a 503 on the re-send, then ky’s retry: every re-send counts (1, then 2)', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    await rc.get(EXT).json();
    server.failNext({ path: EXT, status: 401 });
    server.failNext({ path: EXT, status: 503 });
    await rc.get(EXT).json();
    const calls = named(telemetry.spans(), `GET ${EXT_TEMPLATE}`).slice(1);
    expect(
      calls.map((s) => [
        s.attributes['http.response.status_code'],
        s.attributes['http.request.resend_count'],
      ]),
    ).toEqual([
      [401, undefined],
      [503, 1],
      [200, 2],
    ]);
  });

  it('a refused refresh: the span says invalid_grant, then the unattended grant logs in again', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    await rc.get(EXT).json();
    server.invalidateAccessTokens();
    server.invalidateRefreshTokens();
    await rc.get(EXT).json();
    const [refresh] = named(telemetry.spans(), 'rc.token.refresh');
    expect(refresh!.attributes).toMatchObject({
      'rc.token.outcome': 'invalid_grant',
      'error.type': 'invalid_grant',
    });
    expect(named(telemetry.spans(), 'rc.token.login')).toHaveLength(2);
    expect(await telemetry.points('rc.token.refreshes')).toEqual([
      expect.objectContaining({ attributes: { 'rc.token.outcome': 'invalid_grant' }, value: 1 }),
    ]);
  });

  it('a revoke is a span too', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    await rc.get(EXT).json();
    await rc.revoke();
    const [revoke] = named(telemetry.spans(), 'rc.token.revoke');
    expect(revoke!.attributes).toMatchObject({ 'rc.token.kind': 'revoke', 'rc.token.outcome': 'success' });
    expect(revoke!.attributes['rc.token.grant_type']).toBeUndefined();
  });

  it('a 429: the re-send counts as one; a request held for the penalty has the wait as an event; metrics count it', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    // A 429, then another request of the group made once the 429 is in: the rate limiter holds it.
    await rateLimitedThenHeld(rc, server, EXT);
    const calls = named(telemetry.spans(), `GET ${EXT_TEMPLATE}`);
    expect(calls.map((s) => s.attributes['http.response.status_code'])).toEqual([200, 429, 200, 200]);
    expect(calls[1]!.attributes['error.type']).toBe('429');
    // ky's retry of the 429 (it waited Retry-After itself) and the request the limiter held.
    const [resent] = calls.filter((s) => s.attributes['http.request.resend_count'] === 1);
    const [retried] = calls.filter((s) => s.events.length > 0 && s !== resent);
    expect(resent && retried && resent !== retried).toBe(true);
    if (!retried) return;
    expect(retried.attributes['http.request.resend_count']).toBeUndefined();
    expect(retried.events.map((e) => e.name)).toEqual(['rc.rate_limit.wait']);
    const event = retried.events[0]!.attributes!;
    expect(event['rc.rate_limit.group']).toBe('Light');
    expect(event['rc.rate_limit.outcome']).toBe('admitted');
    expect(event['rc.rate_limit.waited_ms']).toBeGreaterThanOrEqual(900);
    const waits = await telemetry.points('rc.rate_limit.wait.duration');
    expect(waits).toHaveLength(1);
    expect(waits[0]!.attributes).toEqual({
      'rc.rate_limit.group': 'Light',
      'rc.rate_limit.outcome': 'admitted',
    });
    // The held request, and maybe ky's retry too (its Retry-After delay can end a hair before the penalty).
    const { count, max } = waits[0]!.value as { count: number; max: number };
    expect(count).toBeGreaterThanOrEqual(1);
    expect(max).toBeGreaterThanOrEqual(0.9);
  });

  it('a penalty longer than maxWaitMs: RateLimitErrors are counted, and a refused request still has a span', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry, { rateLimit: { maxWaitMs: 1_000 } });
    await rc.get(EXT).json();
    server.failNext({
      path: EXT,
      status: 429,
      headers: { 'Retry-After': '120', 'X-Rate-Limit-Group': 'Light' },
    });
    await expect(rc.get(EXT).json()).rejects.toMatchObject({ code: 'RC_RATE_LIMIT' });
    await expect(rc.get(EXT).json()).rejects.toMatchObject({ code: 'RC_RATE_LIMIT' });
    const calls = named(telemetry.spans(), `GET ${EXT_TEMPLATE}`);
    expect(calls.map((s) => s.attributes['http.response.status_code'] ?? s.attributes['error.type'])).toEqual(
      [200, 429, 'RateLimitError'],
    );
    expect(calls[2]!.events[0]!.attributes).toMatchObject({ 'rc.rate_limit.outcome': 'refused' });
    expect(await telemetry.points('rc.rate_limit.errors')).toEqual([
      expect.objectContaining({ attributes: { 'rc.rate_limit.group': 'Light' }, value: 2 }),
    ]);
    expect(server.stats.byStatus['429']).toBe(1); // the refused one was never sent
  });

  it('a batch: one span per request of at most 30 ids, named by the template, never by the ids', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    const ids = Array.from({ length: 35 }, (_, i) => String(1000 + i));
    const results = await rc.batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', ids);
    expect(results).toHaveLength(35);
    const spans = telemetry.spans();
    const batch = named(spans, `GET ${EXT_TEMPLATE}/presence`);
    expect(batch).toHaveLength(2);
    for (const span of batch) {
      expect(span.attributes['rc.operation.id']).toBe('readUserPresenceStatus');
      expect(span.name).not.toMatch(/\d{4}/);
    }
    expect(String(batch[0]!.attributes['url.full'])).toContain('1000,1001');
  });

  it('a path outside the description: the span is named by its method alone', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry);
    await rc.get('/restapi/v1.0/no-such-thing/123').catch(() => undefined);
    const spans = telemetry.spans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(spans.map((s) => s.name)).toEqual(['GET']);
    expect(spans[0]!.attributes['url.template']).toBeUndefined();
  });
});

describe('otel() options', () => {
  it('undefined means not given: the defaults (httpSpans rc, a CLIENT span)', async () => {
    const server = await mockServer();
    const telemetry = sdk();
    const { rc } = tracedClient(server, telemetry, {}, { httpSpans: undefined });
    await rc.get(EXT).json();
    const [call] = named(telemetry.spans(), `GET ${EXT_TEMPLATE}`);
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(() =>
      otel({ tracerProvider: undefined, meterProvider: undefined, httpSpans: undefined }),
    ).not.toThrow();
  });
});
