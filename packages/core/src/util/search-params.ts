// RingCentral repeats a query parameter for a list of values (`type=Voice&type=Fax`); ky's object form
// takes scalars only (an array would be joined with commas by URLSearchParams). Typed query
// parameters (`@rc/api`) have array values, so an object with an array goes through here.
import type { LooseRequestOptions } from '../api-types.js';

type SearchParams = LooseRequestOptions['searchParams'];
type Scalar = string | number | boolean;

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof URLSearchParams);

/** True for an object form with at least one array value (the only shape ky would get wrong). */
export function hasArrayValue(searchParams: SearchParams): boolean {
  return isPlainRecord(searchParams) && Object.values(searchParams).some(Array.isArray);
}

/** Any shape ky accepts, arrays repeated, `undefined` values left out, as `URLSearchParams`. */
export function toSearchParams(searchParams: SearchParams): URLSearchParams {
  if (searchParams === undefined) return new URLSearchParams();
  if (!isPlainRecord(searchParams))
    return new URLSearchParams(searchParams as ConstructorParameters<typeof URLSearchParams>[0]);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(
    searchParams as Record<string, Scalar | readonly Scalar[] | undefined>,
  )) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  return params;
}
