// Why this file: the metric instruments, made once from the meter provider on first use. The global
// meter provider of @opentelemetry/api has no proxy (unlike the tracer's): a meter taken before the
// SDK registers would stay a no-op, so the provider is read when the client first records.
import { type Counter, type Histogram, type MeterProvider, metrics } from '@opentelemetry/api';
import { DURATION_BUCKETS, METRICS } from './attributes.js';
import { NAME, VERSION } from './version.js';

export interface Instruments {
  requestDuration: Histogram;
  tokenRefreshes: Counter;
  rateLimitWait: Histogram;
  rateLimitErrors: Counter;
}

/** The instruments, made on the first call from `provider` (or the global one). */
export function lazyInstruments(provider: MeterProvider | undefined): () => Instruments {
  let made: Instruments | undefined;
  return () => {
    if (made) return made;
    const meter = (provider ?? metrics.getMeterProvider()).getMeter(NAME, VERSION);
    made = {
      requestDuration: meter.createHistogram(METRICS.requestDuration, {
        description: 'Duration of HTTP client requests.',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      tokenRefreshes: meter.createCounter(METRICS.tokenRefreshes, {
        description: 'Token refreshes sent to RingCentral, by outcome.',
        unit: '{refresh}',
      }),
      rateLimitWait: meter.createHistogram(METRICS.rateLimitWait, {
        description: 'Time requests were held by the rate limiter for their group.',
        unit: 's',
        advice: { explicitBucketBoundaries: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120] },
      }),
      rateLimitErrors: meter.createCounter(METRICS.rateLimitErrors, {
        description: 'Requests that failed with RateLimitError (a penalty longer than maxWaitMs).',
        unit: '{error}',
      }),
    };
    return made;
  };
}
