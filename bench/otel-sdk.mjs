// The OpenTelemetry SDK of the `@rc/core + otel (SDK)` contender, as an app would run it in
// production: the async-hooks context manager, a batch span processor (every span sampled), a meter
// provider aggregating every instrument. The exporter drops what it gets: the figure is the cost in
// the client's process, not an exporter's network.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

class DroppingExporter {
  export(_spans, done) {
    done({ code: 0 });
  }
  async shutdown() {}
  async forceFlush() {}
}

class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

export function otelSdk() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new DroppingExporter(), { maxQueueSize: 8192 })],
  });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  return { tracerProvider, meterProvider };
}
