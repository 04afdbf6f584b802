// The OpenTelemetry SDK as an app sets it up, once, at start: a tracer provider that prints each span
// (the console exporter) and keeps a copy to draw the tree at the end, a meter provider read at the
// end, and the context manager that lets a span be the parent of the work started inside it.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Reads the metrics when asked (an app would export them periodically, e.g. to an OTLP collector). */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export function startTelemetry(print: SpanExporter = new ConsoleSpanExporter()) {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const kept = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(print), new SimpleSpanProcessor(kept)],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: (): ReadableSpan[] => kept.getFinishedSpans(),
    /** Every metric data point, as `name {attributes} value` lines. */
    async metricLines(): Promise<string[]> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((m) =>
          m.dataPoints.map((p) => {
            const v = p.value as number | { count: number; sum?: number };
            const value =
              typeof v === 'number' ? String(v) : `count=${v.count} sum=${(v.sum ?? 0).toFixed(3)}`;
            return `${m.descriptor.name} ${JSON.stringify(p.attributes)} ${value}`;
          }),
        ),
      );
    },
    async shutdown(): Promise<void> {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
    },
  };
}

/** The spans as an indented tree, by start time: `name (ms) key attributes`. */
export function drawTree(spans: readonly ReadableSpan[]): string[] {
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const ms = (s: ReadableSpan) => Math.round(s.duration[0] * 1e3 + s.duration[1] / 1e6);
  const shown = [
    'http.response.status_code',
    'http.request.resend_count',
    'rc.rate_limit.group',
    'rc.token.outcome',
    'rc.token.wait.reason',
  ];
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    for (const s of list) {
      const attrs = shown
        .filter((k) => s.attributes[k] !== undefined)
        .map((k) => `${k.split('.').pop()}=${s.attributes[k]}`);
      const events = s.events.map((e) => `[${e.name} ${e.attributes?.['rc.rate_limit.waited_ms']} ms]`);
      lines.push(`${'  '.repeat(depth)}${s.name} (${ms(s)} ms) ${[...attrs, ...events].join(' ')}`.trimEnd());
      walk(s.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}
