import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of {@link otel}. */
export interface OtelOptions {
  /**
   * Where spans go.
   * @default the global provider (`trace.setGlobalTracerProvider()`, which an OpenTelemetry SDK's
   * `start()` calls); with none registered, no span is recorded.
   */
  tracerProvider?: TracerProvider | undefined;
  /**
   * Where metrics go. Resolved on the client's first request, so a global provider registered after
   * `createClient()` but before the first call is used.
   * @default the global provider (`metrics.setGlobalMeterProvider()`); with none, nothing is recorded.
   */
  meterProvider?: MeterProvider | undefined;
  /**
   * Which span is the HTTP client span of an API request when a transport instrumentation
   * (`@opentelemetry/instrumentation-undici`, `-http`) is active as well:
   * - `'rc'`: ours (kind CLIENT, named `{method} {url.template}`, with RingCentral's attributes); the
   *   wire request runs with tracing suppressed below it, so the transport adds no second span, and
   *   we inject the trace context (`traceparent`) into the request ourselves.
   * - `'transport'`: the transport's; ours becomes its parent (kind INTERNAL, same name and
   *   attributes) and the transport injects the trace context. Choose it when you rely on what the
   *   transport records (socket details, its own hooks); without a transport instrumentation there is
   *   then no CLIENT span.
   *
   * Token requests are never suppressed: a transport instrumentation's span for them sits under
   * our `rc.token.*` span.
   * @default 'rc'
   * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client
   */
  httpSpans?: 'rc' | 'transport' | undefined;
}

export const OPTION_NAMES = ['tracerProvider', 'meterProvider', 'httpSpans'] as const;
