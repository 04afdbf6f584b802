// The real OpenTelemetry SDK, recording into memory: a tracer provider with an in-memory exporter, a
// meter provider with a reader we collect by hand, the async-hooks context manager and the W3C
// propagator registered globally (as an app's SDK setup does), and a mock RingCentral server.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { jwtGrant } from '@rc/auth-jwt';
import { type ClientOptions, createClient, type RcClient } from '@rc/core';
import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type OtelOptions, otel } from '../src/index.js';

export const EXT = '/restapi/v1.0/account/~/extension/~';
export const EXT_TEMPLATE = '/restapi/v1.0/account/{accountId}/extension/{extensionId}';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** An SDK that records into memory. */
export function sdk() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    async metrics(): Promise<ResourceMetrics> {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      return resourceMetrics;
    },
    /** The data points of one metric, by name. */
    async points(name: string) {
      const all = await this.metrics();
      const found = all.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
      return (found?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: unknown }[];
    },
  };
}
export type Sdk = ReturnType<typeof sdk>;

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export async function mockServer(options?: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

/** The demo's client: the JWT grant, with otel() on the SDK, and every token it gets kept (to search for). */
export function tracedClient(
  server: MockServer,
  telemetry: Sdk,
  options: Partial<ClientOptions> = {},
  otelOptions: OtelOptions = {},
): { rc: RcClient; tokens: string[] } {
  const rc = createClient({
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    grant: jwtGrant({ jwt: server.jwt }),
    plugins: [
      otel({
        tracerProvider: telemetry.tracerProvider,
        meterProvider: telemetry.meterProvider,
        ...otelOptions,
      }),
    ],
    ...options,
  });
  const tokens: string[] = [];
  rc.on('token', (t) => tokens.push(t.accessToken, ...(t.refreshToken ? [t.refreshToken] : [])));
  return { rc, tokens };
}

/** A span's parent span id (sdk-trace-base 2: `parentSpanContext`). */
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** The spans by name, in the order they ended. */
export const named = (spans: readonly ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
