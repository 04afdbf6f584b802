import { SpanKind } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { EXT, EXT_TEMPLATE, mockServer, parentOf, type Sdk, sdk, tracedClient } from './fixtures.js';

let instrumentation: UndiciInstrumentation | undefined;
afterEach(() => {
  instrumentation?.disable();
  instrumentation = undefined;
});

/** instrumentation-undici, recording into `telemetry` (Node's fetch is undici: it sees every request). */
function undiciTraced(telemetry: Sdk) {
  instrumentation = new UndiciInstrumentation();
  instrumentation.setTracerProvider(telemetry.tracerProvider);
  instrumentation.enable();
}

const httpSpans = (spans: readonly ReadableSpan[]) =>
  spans.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['http.request.method'] !== undefined);
const fromUndici = (s: ReadableSpan) => s.instrumentationScope.name.includes('undici');

/** A login, a call, a 401 → refresh → retry, a revoke: seven requests on the wire. */
async function flow(telemetry: Sdk, httpSpansOption?: 'rc' | 'transport') {
  const server = await mockServer();
  const { rc } = tracedClient(server, telemetry, {}, httpSpansOption ? { httpSpans: httpSpansOption } : {});
  await rc.get(EXT).json();
  server.invalidateAccessTokens();
  await rc.get(EXT).json();
  await rc.revoke();
  return server.stats.requests;
}

describe('otel() beside @opentelemetry/instrumentation-undici', () => {
  it('the instrumentation alone sees the flow (the test is able to tell)', async () => {
    const telemetry = sdk();
    undiciTraced(telemetry);
    const server = await mockServer();
    await fetch(`${server.url}/restapi/v1.0/status`).then((r) => r.arrayBuffer());
    expect(httpSpans(telemetry.spans()).filter(fromUndici)).toHaveLength(1);
  });

  it("httpSpans 'rc' (default): one HTTP span per wire request — ours for API calls, the transport's for token requests", async () => {
    const telemetry = sdk();
    undiciTraced(telemetry);
    const wire = await flow(telemetry);
    expect(wire).toBe(6); // login, call, 401, refresh, retry, revoke
    const spans = telemetry.spans();
    const http = httpSpans(spans);
    expect(http).toHaveLength(wire);
    const ours = http.filter((s) => !fromUndici(s));
    expect(ours.map((s) => s.name)).toEqual([
      `GET ${EXT_TEMPLATE}`,
      `GET ${EXT_TEMPLATE}`,
      `GET ${EXT_TEMPLATE}`,
    ]);
    // The transport's spans of token requests sit under our rc.token.* spans.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    for (const s of http.filter(fromUndici))
      expect(byId.get(parentOf(s) ?? '')?.name).toMatch(/^rc\.token\./);
  });

  it("httpSpans 'transport': the transport owns the HTTP spans, ours are their INTERNAL parents", async () => {
    const telemetry = sdk();
    undiciTraced(telemetry);
    const wire = await flow(telemetry, 'transport');
    const spans = telemetry.spans();
    const http = httpSpans(spans);
    expect(http).toHaveLength(wire);
    expect(http.every(fromUndici)).toBe(true);
    const ours = spans.filter((s) => s.name === `GET ${EXT_TEMPLATE}`);
    expect(ours.map((s) => s.kind)).toEqual([SpanKind.INTERNAL, SpanKind.INTERNAL, SpanKind.INTERNAL]);
    for (const parent of ours) {
      const children = http.filter((s) => parentOf(s) === parent.spanContext().spanId);
      expect(children).toHaveLength(1);
      expect(children[0]!.attributes['http.response.status_code']).toBe(
        parent.attributes['http.response.status_code'],
      );
    }
  });
});
