// The type-level router: a literal path (or a template literal with `${string}` segments) resolved to
// the operation it calls, segment by segment through `RouteTree` (generated). A literal segment wins
// over a `{param}` segment, and when the literal branch leads nowhere the param branch is tried — as a
// router matches. Query strings, a leading slash and a server prefix are ignored.
import type { ApiMethod } from '@rc/core';
import type { EventTree, RouteTree } from './generated/routes.js';

/** `path` relative to the server: no scheme and host, no leading slash, no query or fragment. */
export type RelativePath<P extends string> = P extends `${infer A}?${string}`
  ? RelativePath<A>
  : P extends `${infer A}#${string}`
    ? RelativePath<A>
    : P extends `http${string}://${string}/${infer R}`
      ? R
      : P extends `/${infer R}`
        ? R
        : P;

type Walk<T, P extends string> = P extends `${infer S}/${infer R}` ? Branch<T, S, R> : Leaf<T, P>;
type Branch<T, S extends string, R extends string> = S extends keyof T
  ? Walk<T[S], R> extends infer X
    ? [X] extends [never]
      ? Param<T, R>
      : X
    : never
  : Param<T, R>;
type Param<T, R extends string> = T extends { '{}': infer C } ? Walk<C, R> : never;
type Leaf<T, S extends string> = S extends keyof T
  ? T[S] extends { $: infer Id }
    ? Id
    : ParamLeaf<T>
  : ParamLeaf<T>;
type ParamLeaf<T> = T extends { '{}': { $: infer Id } } ? Id : never;

/** The id of the operation `method path` calls, or `never` when the description has none. */
export type OperationIdOf<M extends ApiMethod, P extends string> = Walk<RouteTree[M], RelativePath<P>>;

/** The event schema names whose notifications the event filter `F` receives, or `never`. */
export type EventSchemaOf<F extends string> = Walk<EventTree, RelativePath<F>>;
