// ky's options that createClient() passes through, checked when the client is made: ky would
// only trip on a bad one at the first request (or, for a timeout above what a timer takes, throw a
// RangeError there).
import type { PassThroughOptions } from '../util/request-options.js';
import { refuse } from './refuse.js';

/** The largest delay a timer takes (2^31 - 1 ms, about 24.8 days); ky throws a RangeError above it. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A number of ms a timer takes. */
export const isMs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_TIMEOUT_MS;

const HOOK_NAMES = ['init', 'beforeRequest', 'beforeRetry', 'afterResponse', 'beforeError'];
const FUNCTION_OPTIONS = [
  'fetch',
  'parseJson',
  'stringifyJson',
  'onDownloadProgress',
  'onUploadProgress',
] as const;

/** The ky options we pass through: each one ky would only trip on at request time is checked now. */
export function checkKyOptions(ky: PassThroughOptions): void {
  for (const name of ['timeout', 'totalTimeout'] as const) {
    const v = ky[name];
    if (v !== undefined && v !== false && !isMs(v))
      refuse(name, `\`${name}\` must be a number of ms from 1 to ${MAX_TIMEOUT_MS}, or false`);
  }
  for (const name of FUNCTION_OPTIONS) {
    if (ky[name] !== undefined && typeof ky[name] !== 'function')
      refuse(name, `\`${name}\` must be a function`);
  }
  const { retry, hooks, headers, throwHttpErrors } = ky;
  const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (retry !== undefined) {
    if (typeof retry === 'number') {
      if (!isCount(retry)) refuse('retry', '`retry` must be a whole number ≥ 0, or retry options');
    } else if (typeof retry !== 'object' || retry === null) {
      refuse('retry', '`retry` must be a whole number ≥ 0, or retry options');
    } else {
      if (retry.limit !== undefined && !isCount(retry.limit))
        refuse('retry', '`retry.limit` must be a whole number ≥ 0');
      for (const k of ['backoffLimit', 'maxRetryAfter'] as const) {
        const v = retry[k];
        if (v !== undefined && !(typeof v === 'number' && !Number.isNaN(v) && v >= 0))
          refuse('retry', `\`retry.${k}\` must be a number of ms ≥ 0`);
      }
    }
  }
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null) refuse('hooks', '`hooks` must be a ky Hooks object');
    for (const [name, list] of Object.entries(hooks ?? {})) {
      if (!HOOK_NAMES.includes(name)) refuse(`hooks.${name}`, `\`hooks.${name}\` is not a ky hook`);
      if (list !== undefined && (!Array.isArray(list) || list.some((h) => typeof h !== 'function')))
        refuse(`hooks.${name}`, `\`hooks.${name}\` must be an array of functions`);
    }
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null))
    refuse('headers', '`headers` must be an object, an array of pairs, or a Headers');
  if (
    throwHttpErrors !== undefined &&
    typeof throwHttpErrors !== 'boolean' &&
    typeof throwHttpErrors !== 'function'
  )
    refuse('throwHttpErrors', '`throwHttpErrors` must be a boolean or a function');
}
