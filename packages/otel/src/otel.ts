// Why this file: the factory. It checks its options, takes a tracer, and puts the pieces on core's
// plugin contract: `observe` for what core does on its own (sends, token requests, waits), and two
// ky hooks for what only ky knows (its retry count, the errors a caller gets).
import { context, type Span, SpanKind, trace } from '@opentelemetry/api';
import { ConfigError, isRcError, type Plugin, type RateLimitWaitInfo } from '@rc/core';
import { checkOptions } from '@rc/core/kit';
import { ATTR, NAMES } from './attributes.js';
import { addWaitEvents, fail, RequestNotes, sendObserver, shapeOf, waitAttributes } from './http-spans.js';
import { lazyInstruments } from './instruments.js';
import { OPTION_NAMES, type OtelOptions } from './options.js';
import { tokenRequestObserver, tokenWaitObserver } from './token-spans.js';
import { NAME, VERSION } from './version.js';

/**
 * OpenTelemetry traces and metrics for a RingCentral client, over `@opentelemetry/api` only (bring
 * your own SDK; with no provider registered nothing is recorded).
 *
 * - A span per request on the wire, named `{method} {url.template}` by RingCentral's operation
 *   table (`GET /restapi/v1.0/account/{accountId}/extension/{extensionId}`), with the stable HTTP
 *   client attributes (`url.full` redacted), `http.request.resend_count` on a re-send (after a 401,
 *   a 429, a 5xx), RingCentral's operation id, rate-limit group, remaining budget and `RCRequestId`;
 *   the trace context goes out in `traceparent`.
 * - `rc.token.login`, `rc.token.refresh`, `rc.token.revoke` spans (grant type and outcome), and
 *   `rc.token.wait` for the time a request waits for a token being obtained.
 * - Rate-limit waits as `rc.rate_limit.wait` events on the request's span.
 * - Metrics: `http.client.request.duration`, `rc.token.refreshes`, `rc.rate_limit.wait.duration`,
 *   `rc.rate_limit.errors`.
 *
 * @example
 * import { otel } from '@rc/otel';
 * const rc = createClient({ server, clientId, clientSecret, grant, plugins: [otel()] });
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 */
export function otel(options: OtelOptions = {}): Plugin {
  checkOptions(options, OPTION_NAMES, 'otel()');
  const { tracerProvider, meterProvider, httpSpans = 'rc' } = options;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== 'function')
    throw new ConfigError(
      'otel(): `tracerProvider` must be an OpenTelemetry TracerProvider',
      'tracerProvider',
    );
  if (meterProvider !== undefined && typeof meterProvider?.getMeter !== 'function')
    throw new ConfigError('otel(): `meterProvider` must be an OpenTelemetry MeterProvider', 'meterProvider');
  if (httpSpans !== 'rc' && httpSpans !== 'transport')
    throw new ConfigError("otel(): `httpSpans` must be 'rc' or 'transport'", 'httpSpans');

  // The global provider's tracer is a proxy: an SDK registered later is still used.
  const tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(NAME, VERSION);
  const instruments = lazyInstruments(meterProvider);
  const notes = new RequestNotes();
  const tokenSpans = new WeakSet<Span>();

  const rateLimitWait = (info: RateLimitWaitInfo) => {
    instruments().rateLimitWait.record(info.waitedMs / 1000, {
      ...(info.group === undefined ? {} : { [ATTR.rateLimitGroup]: info.group }),
      [ATTR.rateLimitOutcome]: info.outcome,
    });
    // A token request's wait: an event on its rc.token.* span, the active one.
    const active = trace.getSpan(context.active());
    if (active && tokenSpans.has(active)) {
      active.addEvent(NAMES.rateLimitWaitEvent, waitAttributes(info), info.startedAt);
      return;
    }
    if (info.outcome === 'admitted') {
      // An API request's: kept for its span, which starts when it is sent.
      const list = notes.waits.get(info.request) ?? [];
      list.push(info);
      notes.waits.set(info.request, list);
      return;
    }
    // Refused: it will never be sent, but it was a request: a span says so.
    const shape = shapeOf(info.request);
    const span = tracer.startSpan(shape.name, {
      kind: httpSpans === 'rc' ? SpanKind.CLIENT : SpanKind.INTERNAL,
      attributes: shape.attributes,
      startTime: info.startedAt,
    });
    notes.waits.set(info.request, [info]);
    addWaitEvents(span, notes, info.request);
    fail(span, 'RateLimitError');
    span.end();
  };

  return {
    name: 'otel',
    observe: {
      send: sendObserver({ tracer, instruments, own: httpSpans === 'rc' }, notes),
      tokenRequest: tokenRequestObserver({ tracer, instruments, tokenSpans }),
      tokenWait: tokenWaitObserver(tracer),
      rateLimitWait,
    },
    hooks: {
      beforeRetry: [
        ({ request, retryCount, error }) => {
          notes.retries.set(request, retryCount);
          // ky builds a new request for each attempt: the sends so far go with it (an HTTPError
          // holds the attempt's request; a network error has none, and the retry count stands in).
          const previous = (error as { request?: unknown }).request;
          const sent = previous instanceof Request ? notes.sends.get(previous) : undefined;
          if (sent !== undefined) notes.sends.set(request, sent);
        },
      ],
      beforeError: [
        ({ error }) => {
          if (isRcError(error) && error.code === 'RC_RATE_LIMIT') {
            const group = (error as { group?: string }).group;
            instruments().rateLimitErrors.add(1, group === undefined ? {} : { [ATTR.rateLimitGroup]: group });
          }
          return error;
        },
      ],
    },
  };
}
