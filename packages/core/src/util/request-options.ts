// ky's option names, listed once: the ones `createClient()` passes through to every request, and
// with the per-call ones added, every option of one request, so that calls taking request options
// plus their own (`paginate`, `batchGet`) refuse a key they do not know.
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

/** Every key of {@link PassThroughOptions} (ky's and fetch's RequestInit's), checked both ways by the compiler. */
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
