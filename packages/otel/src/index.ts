export { ATTR, METRICS, NAMES } from './attributes.js';
export type { OtelOptions } from './options.js';
export { otel } from './otel.js';
