// Why this file: the token flow as spans — each login, refresh and revoke core sends, and each wait
// for a token being obtained (by this request, another caller, or another process holding the
// store's lock). What they record is the kind, the grant type and the outcome: the observer API never
// hands over the form, the headers or the token, so no secret can reach a span from here.
import { context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import {
  isRcError,
  type OAuthError,
  type TokenRequestInfo,
  type TokenRequestResult,
  type TokenWaitInfo,
} from '@rc/core';
import { ATTR, NAMES } from './attributes.js';
import { errorType, fail } from './http-spans.js';
import type { Instruments } from './instruments.js';

export interface TokenSpanDeps {
  tracer: Tracer;
  instruments: () => Instruments;
  /** Our token spans: a rate-limit wait of a token request becomes an event on them. */
  tokenSpans: WeakSet<Span>;
}

/** `success`, the OAuth error code (`invalid_grant`…), or the error's class. */
const outcomeOf = (error: unknown): string => (isOAuthError(error) ? error.error : errorType(error));

/** By its code, not `instanceof`: it works across copies of @rc/core. */
const isOAuthError = (error: unknown): error is OAuthError => isRcError(error) && error.code === 'RC_OAUTH';

export function tokenRequestObserver(deps: TokenSpanDeps) {
  const { tracer, instruments, tokenSpans } = deps;
  return async (
    info: TokenRequestInfo,
    run: () => Promise<TokenRequestResult>,
  ): Promise<TokenRequestResult> => {
    const span = tracer.startSpan(NAMES.tokenSpan[info.kind], {
      kind: SpanKind.INTERNAL,
      attributes: {
        [ATTR.tokenKind]: info.kind,
        ...(info.grantType === undefined ? {} : { [ATTR.grantType]: info.grantType }),
      },
    });
    tokenSpans.add(span);
    let outcome = 'success';
    try {
      const result = await context.with(trace.setSpan(context.active(), span), run);
      span.setAttribute(ATTR.httpStatusCode, result.status);
      return result;
    } catch (error) {
      outcome = outcomeOf(error);
      if (isOAuthError(error) && error.status > 0) span.setAttribute(ATTR.httpStatusCode, error.status);
      fail(span, outcome);
      throw error;
    } finally {
      span.setAttribute(ATTR.tokenOutcome, outcome);
      span.end();
      if (info.kind === 'refresh') instruments().tokenRefreshes.add(1, { [ATTR.tokenOutcome]: outcome });
    }
  };
}

export function tokenWaitObserver(tracer: Tracer) {
  return async <T>(info: TokenWaitInfo, run: () => Promise<T>): Promise<T> => {
    const span = tracer.startSpan(NAMES.tokenWaitSpan, {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR.tokenWaitReason]: info.reason },
    });
    try {
      return await context.with(trace.setSpan(context.active(), span), run);
    } catch (error) {
      fail(span, errorType(error));
      throw error;
    } finally {
      span.end();
    }
  };
}
