// The option names of one request (ky's `Options`, fetch's RequestInit among them), so that calls
// taking request options plus their own (`paginate`, `batchGet`) refuse a key they do not know.
import type { Options } from 'ky';
import { optionNames } from './check-options.js';

/** Every key of ky's `Options`, checked both ways by the compiler. */
export const REQUEST_OPTIONS = optionNames<Options>()([
  'prefix',
  'baseUrl',
  'method',
  'body',
  'json',
  'searchParams',
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
