// `import '@rc/api'` types the client: this fills @rc/core's empty registries (declaration merging),
// which every verb of `RcClient` reads (see core's api-types.ts), and @rc/core's event registry, which
// @rc/subscriptions and @rc/webhooks read. Types only: the compiled module is empty.
import type { ApiMethod, RequestOptions } from '@rc/core';
import type { PathTemplates } from './generated/routes.js';
import type { EventSchemaOf, OperationIdOf } from './match.js';
import type {
  EventBodyOfSchemas,
  OperationId,
  RecordOf,
  RequestOptionsOf,
  ResponseOf,
} from './operation-types.js';

/** The documented path templates of a method, e.g. `'/restapi/v1.0/account/{accountId}'`. */
export type KnownPath<M extends ApiMethod> = PathTemplates[M];

/** The operation `method path` calls; `never` for an undocumented path, `undefined` for a run-time string. */
export type ResolvedOperation<M extends string, P extends string> = string extends P
  ? undefined
  : M extends ApiMethod
    ? OperationIdOf<M, P>
    : undefined;

/** One filter's body: `unknown` for a run-time string or a filter the description ties to no event. */
type EventBodyOf<F extends string> = string extends F
  ? unknown
  : [EventSchemaOf<F>] extends [never]
    ? unknown
    : EventBodyOfSchemas<EventSchemaOf<F>>;

declare module '@rc/core' {
  interface ApiTypes<M extends string, P extends string> {
    /**
     * A run-time string passes as it is; a literal must be a documented path of the method (written
     * with `~` or ids), else the call does not compile — the list of templates says what is known.
     */
    path: string extends P
      ? (M extends ApiMethod ? KnownPath<M> : never) | (string & {})
      : [ResolvedOperation<M, P>] extends [never]
        ? M extends ApiMethod
          ? KnownPath<M>
          : P
        : P;
    options: ResolvedOperation<M, P> extends infer Id extends OperationId
      ? RequestOptionsOf<Id>
      : RequestOptions;
    response: ResolvedOperation<M, P> extends infer Id extends OperationId ? ResponseOf<Id> : unknown;
    record: ResolvedOperation<M, P> extends infer Id extends OperationId ? RecordOf<Id> : unknown;
  }
  interface EventTypes<F extends string> {
    /** The body of a notification for the filter `F`, where the description ties its resource to an event. */
    body: F extends string ? EventBodyOf<F> : never;
  }
}
