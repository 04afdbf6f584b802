// How a request gets its types. Core knows nothing of RingCentral's operations: it declares two empty
// registries that `@rc/api` fills by declaration merging (`import '@rc/api'`). Without it every call
// is untyped, as before — any path, ky's `Options`, `unknown` replies. With it, a literal path names a
// documented operation, and the path argument, the options and the reply take that operation's types.
//
// Why registries rather than extra overloads on `RcClient`: an overload added beside the untyped one
// is only tried first — a call whose `json` misses a required field would fail the typed overload
// and quietly match the untyped one. Routing every signature through one type makes the typed one
// the only one for a documented path, and leaves run-time strings (`string`, `URL`, `Request`) untyped.
import type { Options } from 'ky';

/** ky's request options, as every verb of `RcClient` takes them (re-exported for typed layers). */
export type RequestOptions = Options;

type Scalar = string | number | boolean;

/**
 * What a verb accepts at run time: ky's options, with `searchParams` values that may be arrays
 * (sent as repeated parameters, as RingCentral expects) — the widest shape typed options narrow.
 */
export type LooseRequestOptions = Omit<Options, 'searchParams' | 'json'> & {
  searchParams?: Options['searchParams'] | Record<string, Scalar | readonly Scalar[] | undefined> | undefined;
  json?: unknown;
};

/** The verbs `@rc/api` types (HEAD has no body to type). */
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Types of one request, filled in by `@rc/api` for the method `M` and the literal path `P`:
 * `path` (what the path argument must be), `options`, `response` and `record` (a list's record).
 * Empty here: every request is untyped.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that @rc/api can merge into it
export interface ApiTypes<M extends string, P extends string> {}

/**
 * Types of a notification for the event filter `F`, filled in by `@rc/api` (`body`). Empty here:
 * bodies are `unknown`. Used by `@rc/subscriptions` and `@rc/webhooks`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that @rc/api can merge into it
export interface EventTypes<F extends string> {}

/** The path argument of `rc[method](path)`: any string until `@rc/api` says which literals it knows. */
export type ApiPath<M extends string, P extends string> = ApiTypes<M, P> extends { path: infer A } ? A : P;

/** The request options of `rc[method](path, options)`. */
export type ApiOptions<M extends string, P extends string> =
  ApiTypes<M, P> extends { options: infer O } ? O : Options;

/** What `.json()` resolves to for `rc[method](path)`. */
export type ApiResponse<M extends string, P extends string> =
  ApiTypes<M, P> extends { response: infer R } ? R : unknown;

/** A record of the list at `path` (what `rc.paginate(path)` yields and `rc.batchGet()` bodies hold). */
export type ApiRecord<P extends string> = ApiTypes<'get', P> extends { record: infer R } ? R : unknown;

/** The body of a notification for the event filter `F`. */
export type EventBody<F extends string> = EventTypes<F> extends { body: infer B } ? B : unknown;
