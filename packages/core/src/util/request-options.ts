// The option names of one request (ky's `Options`, fetch's RequestInit among them), so that calls
// taking request options plus their own (`paginate`, `batchGet`) refuse a key they do not know, and
// `createClient()` knows the ones it passes through to ky. One list: it is shipped to browsers.
import type { Options } from 'ky';
import { optionNames } from './check-options.js';

/**
 * ky options that pass through to every request. `prefix` and `baseUrl` are the server's (ky 2
 * renamed ky 1's `prefixUrl` to `prefix`); bodies and queries are per call.
 */
export type PassThroughOptions = Omit<
  Options,
  'prefix' | 'baseUrl' | 'method' | 'body' | 'json' | 'searchParams'
>;

/** ky's options that `createClient()` passes through (every key of PassThroughOptions, compiler-checked). */
export const PASS_THROUGH_OPTIONS = optionNames<PassThroughOptions>()([
  'headers',
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
  'parseJson',
  'stringifyJson',
  'retry',
  'timeout',
  'totalTimeout',
  'hooks',
  'throwHttpErrors',
  'onDownloadProgress',
  'onUploadProgress',
  'fetch',
  'context',
]);

/** Every key of ky's `Options`, checked both ways by the compiler. */
export const REQUEST_OPTIONS = optionNames<Options>()([
  ...PASS_THROUGH_OPTIONS,
  'prefix',
  'baseUrl',
  'method',
  'body',
  'json',
  'searchParams',
]);
