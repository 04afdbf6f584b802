/** The instrumentation scope of every tracer and meter this package takes. */
export const NAME = '@rc/otel';
export const VERSION = '0.1.0';
