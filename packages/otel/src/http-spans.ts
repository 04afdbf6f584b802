// Why this file: the HTTP client span of each request core puts on the wire for an API call, named by
// RingCentral's operation (`GET /restapi/v1.0/account/{accountId}/extension/{extensionId}`), never by
// a raw path full of ids, and the `http.client.request.duration` metric beside it.
import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { findOperation, type OperationInfo } from '@rc/api/operations';
import { isRcError, type RateLimitWaitInfo, redactUrl, type SendInfo } from '@rc/core';
import { ATTR, methodOf, NAMES } from './attributes.js';
import type { Instruments } from './instruments.js';

// The SDK's own key (`suppressTracing()` of @opentelemetry/core): context keys are `Symbol.for()` of
// their description, so this one is the same symbol without depending on the SDK.
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

const DEFAULT_PORT: Record<string, number> = { 'https:': 443, 'http:': 80 };

// The operation of `method path`, remembered: finding it walks the table's tree (about 5 µs), and
// an app calls the same few paths (`…/extension/~`) over and over. Bounded: emptied when full.
const MAX_REMEMBERED = 2048;
const remembered = new Map<string, OperationInfo | null>();
function operationOf(method: string, path: string): OperationInfo | undefined {
  const key = `${method} ${path}`;
  let op = remembered.get(key);
  if (op === undefined) {
    op = findOperation(method, path)?.operation ?? null;
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, op);
  }
  return op ?? undefined;
}

/** What a request's span is named and described by, from the operation table. */
export interface RequestShape {
  name: string;
  attributes: Attributes;
  /** For the duration metric: the low-cardinality attributes only. */
  metric: Attributes;
}

/** The name and attributes of a request's span, `url.full` redacted as core's logger does. */
export function shapeOf(request: Request): RequestShape {
  const method = methodOf(request.method);
  const url = new URL(request.url);
  const port = url.port === '' ? DEFAULT_PORT[url.protocol] : Number(url.port);
  const op = operationOf(request.method, url.pathname);
  const attributes: Attributes = {
    [ATTR.httpRequestMethod]: method,
    [ATTR.urlFull]: redactUrl(request.url),
    [ATTR.serverAddress]: url.hostname,
  };
  if (port !== undefined) attributes[ATTR.serverPort] = port;
  if (method === '_OTHER') attributes[ATTR.httpRequestMethodOriginal] = request.method;
  const metric: Attributes = {
    [ATTR.httpRequestMethod]: method,
    [ATTR.serverAddress]: url.hostname,
  };
  if (port !== undefined) metric[ATTR.serverPort] = port;
  if (op) {
    attributes[ATTR.urlTemplate] = op.path;
    attributes[ATTR.operationId] = op.id;
    attributes[ATTR.rateLimitGroup] = op.group;
    metric[ATTR.urlTemplate] = op.path;
    metric[ATTR.rateLimitGroup] = op.group;
  }
  // The conventions: `{method} {url.template}`, or `{method}` alone when there is no template.
  return {
    name: op ? `${method === '_OTHER' ? 'HTTP' : method} ${op.path}` : method === '_OTHER' ? 'HTTP' : method,
    attributes,
    metric,
  };
}

/** The low-cardinality name of an error, for `error.type`. */
export const errorType = (error: unknown): string =>
  isRcError(error) ? error.name : error instanceof Error ? error.name : 'Error';

/** Marks a span failed, with `error.type` only: an error's message is not ours to vouch for. */
export function fail(span: Span, type: string): void {
  span.setAttribute(ATTR.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

export interface HttpSpanDeps {
  tracer: Tracer;
  instruments: () => Instruments;
  own: boolean;
}

/** The per-request memory the hooks and observers share (keyed by ky's request: nothing leaks). */
export class RequestNotes {
  /** ky's retry count of a request (its `beforeRetry` hook). */
  readonly retries = new WeakMap<Request, number>();
  /** How many times a request went on the wire so far. */
  readonly sends = new WeakMap<Request, number>();
  /** Rate-limit waits a request went through before its next send. */
  readonly waits = new WeakMap<Request, RateLimitWaitInfo[]>();
}

/** Adds the rate-limit waits noted for `request` as events, once. */
export function addWaitEvents(span: Span, notes: RequestNotes, request: Request): void {
  const waits = notes.waits.get(request);
  if (!waits) return;
  notes.waits.delete(request);
  for (const w of waits) span.addEvent(NAMES.rateLimitWaitEvent, waitAttributes(w), w.startedAt);
}

export const waitAttributes = (w: RateLimitWaitInfo): Attributes => ({
  ...(w.group === undefined ? {} : { [ATTR.rateLimitGroup]: w.group }),
  [ATTR.rateLimitWaitedMs]: Math.round(w.waitedMs),
  [ATTR.rateLimitOutcome]: w.outcome,
});

/** The `send` observer: one span per request on the wire, the parent of whatever the transport does. */
export function sendObserver(deps: HttpSpanDeps, notes: RequestNotes) {
  const { tracer, instruments, own } = deps;
  return async (info: SendInfo, run: () => Promise<Response>): Promise<Response> => {
    const { request } = info;
    const shape = shapeOf(request);
    // The conventions count every re-send, whatever its cause: ky's retries and the 401's re-send,
    // both when a retry follows a 401 (the count follows ky's new request for each attempt: see
    // the beforeRetry hook; ky's retry count is the floor when it cannot).
    const prior = notes.sends.get(request) ?? 0;
    notes.sends.set(request, prior + 1);
    const resends = Math.max(prior, (notes.retries.get(request) ?? 0) + (info.unauthorizedRetry ? 1 : 0));
    if (resends > 0) shape.attributes[ATTR.httpResendCount] = resends;
    const parent = context.active();
    // A request held by the rate limiter: its span starts when the wait began, and the wait is an event.
    const waits = info.unauthorizedRetry ? undefined : notes.waits.get(request);
    const span = tracer.startSpan(
      shape.name,
      {
        kind: own ? SpanKind.CLIENT : SpanKind.INTERNAL,
        attributes: shape.attributes,
        ...(waits?.[0] ? { startTime: waits[0].startedAt } : {}),
      },
      parent,
    );
    if (!info.unauthorizedRetry) addWaitEvents(span, notes, request);
    let wire: Context = trace.setSpan(parent, span);
    if (own) {
      propagation.inject(wire, info, { set: (carrier, key, value) => carrier.setHeader(key, value) });
      wire = wire.setValue(SUPPRESS_TRACING, true);
    }
    const started = performance.now();
    const metric = shape.metric;
    try {
      const response = await context.with(wire, run);
      const status = response.status;
      span.setAttribute(ATTR.httpStatusCode, status);
      metric[ATTR.httpStatusCode] = status;
      const group = response.headers.get('x-rate-limit-group');
      if (group) {
        span.setAttribute(ATTR.rateLimitGroup, group);
        metric[ATTR.rateLimitGroup] = group;
      }
      const remaining = Number.parseInt(response.headers.get('x-rate-limit-remaining') ?? '', 10);
      if (Number.isFinite(remaining)) span.setAttribute(ATTR.rateLimitRemaining, remaining);
      const requestId = response.headers.get('rcrequestid');
      if (requestId) span.setAttribute(ATTR.requestId, requestId);
      if (status >= 400) {
        fail(span, String(status));
        metric[ATTR.errorType] = String(status);
      }
      return response;
    } catch (error) {
      const type = errorType(error);
      fail(span, type);
      metric[ATTR.errorType] = type;
      throw error;
    } finally {
      span.end();
      instruments().requestDuration.record((performance.now() - started) / 1000, metric);
    }
  };
}
