// The type-level router: a literal path (or a template literal with `${string}` segments) resolved to
// the operation it calls, segment by segment through `RouteTree` (generated). A literal segment wins
// over a `{param}` segment, and when the literal branch leads nowhere the param branch is taken — as a
// router matches; the generator builds the trees so that this needs no backtracking here (one step
// per segment: type-checking cost grows with every conditional type a call instantiates). Query
// strings, a leading slash and a server prefix are ignored.
import type { ApiMethod } from '@rc/core';
import type { EventTree, RouteTree } from './generated/routes.js';

type WithoutQuery<P extends string> = P extends `${infer A}?${string}`
  ? A
  : P extends `${infer A}#${string}`
    ? A
    : P;

/** `path` relative to the server: no scheme and host, no leading slash, no query or fragment. */
export type RelativePath<P extends string> = P extends `/${infer R}`
  ? WithoutQuery<R>
  : P extends `http${string}://${string}/${infer R}`
    ? WithoutQuery<R>
    : WithoutQuery<P>;

/** Where a path that matches nothing goes: a node without children or leaf (not `never`, which
 * `extends { $: infer Id }` would accept with `Id` unknown). */
type DeadEnd = Record<never, never>;
/** The child of tree node `T` for segment `S`: the literal one, else the parameter one. */
type Step<T, S extends string> = S extends keyof T ? T[S] : T extends { '{}': infer C } ? C : DeadEnd;
// Two segments a step where the path has them: half the recursion (each level is instantiated).
type Walk<T, P extends string> = P extends `${infer S}/${infer U}/${infer R}`
  ? Walk<Step<Step<T, S>, U>, R>
  : P extends `${infer S}/${infer R}`
    ? Leaf<Step<T, S>, R>
    : Leaf<T, P>;
type Leaf<T, S extends string> = Step<T, S> extends { $: infer Id } ? Id : never;

/** The id of the operation `method path` calls, or `never` when the description has none. */
export type OperationIdOf<M extends ApiMethod, P extends string> = Walk<RouteTree[M], RelativePath<P>>;

/** The event schema names whose notifications the event filter `F` receives, or `never`. */
export type EventSchemaOf<F extends string> = Walk<EventTree, RelativePath<F>>;
