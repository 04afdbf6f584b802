export type { UndiciFetch } from './fetch.js';
export { undiciFetch } from './fetch.js';
export type { UndiciFetchOptions } from './options.js';
