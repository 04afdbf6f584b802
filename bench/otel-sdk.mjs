// The OpenTelemetry SDK of the `@rc/core + otel (SDK)` contender, as an app would run it in
// production, with the SDK's in-memory exporters in place of a network one: the async-hooks context
// manager, a batch span processor (every span sampled) into an InMemorySpanExporter, a meter
// provider whose periodic reader exports every instrument to an InMemoryMetricExporter. The figure
// is the cost in the client's process, not an exporter's network. The exporter is emptied as it
// fills, so a long run does not measure a growing array.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';

class EmptiedInMemorySpanExporter extends InMemorySpanExporter {
  exported = 0;
  export(spans, done) {
    super.export(spans, (result) => {
      this.exported += spans.length;
      if (this.getFinishedSpans().length > 10_000) this.reset();
      done(result);
    });
  }
}

export function otelSdk() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spans = new EmptiedInMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spans, { maxQueueSize: 8192 })],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 1000,
      }),
    ],
  });
  return { tracerProvider, meterProvider };
}
