// What an operation of the description takes and returns, read from openapi-typescript's
// `operations` (generated/openapi.ts): query parameters, the JSON request body, the JSON reply of
// its success status, and the record type of a list reply.
import type { RequestOptions } from '@rc/core';
import type { components, operations } from './generated/openapi.js';
import type { Replies } from './generated/replies.js';

/** An operation id of RingCentral's API description, e.g. `'readExtension'`. */
export type OperationId = keyof operations;

type Op<Id extends OperationId> = operations[Id];
/** The JSON body of a reply or request body (`content`), `never` for other media types. */
export type JsonOf<B> = B extends { content: infer C }
  ? C extends { 'application/json': infer J }
    ? J
    : C extends { 'application/scim+json': infer J }
      ? J
      : never
  : never;

/**
 * What `.json()` resolves to for the operation: the JSON body of its success reply, `undefined` for an
 * operation that answers without a body (204), `unknown` for binary content (use `.blob()` or
 * `.arrayBuffer()`). Precomputed per operation by the generator (`generated/replies.ts`).
 */
export type ResponseOf<Id extends OperationId> = Replies[Id];

/** The operation's query parameters as an object (arrays are sent as repeated parameters). */
export type QueryOf<Id extends OperationId> = Op<Id>['parameters'] extends { query?: infer Q }
  ? unknown extends Q // no `query` (the generator leaves out `query?: never`)
    ? Record<string, never>
    : NonNullable<Q>
  : Record<string, never>;

/** The operation's JSON request body, or `never` when it takes none (or only a form or multipart). */
export type JsonBodyOf<Id extends OperationId> =
  Op<Id> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

/** The record type of a list operation (`records: T[]` in its reply), else `unknown`. */
export type RecordOf<Id extends OperationId> =
  NonNullable<ResponseOf<Id>> extends {
    records?: (infer R)[] | undefined;
  }
    ? R
    : unknown;

/** Request options of the operation: ky's, with `searchParams` and `json` typed. */
export type RequestOptionsOf<Id extends OperationId> = Omit<RequestOptions, 'searchParams' | 'json'> & {
  /** The operation's query parameters (a misspelt key is a compile error), or a `URLSearchParams`. */
  searchParams?: QueryOf<Id> | URLSearchParams | undefined;
} & ([JsonBodyOf<Id>] extends [never]
    ? { json?: unknown }
    : {
        /** The operation's JSON body, with the fields the description requires. */
        json?: JsonBodyOf<Id> | undefined;
      });

/** The body of a notification of one of the named event schemas. */
export type EventBodyOfSchemas<N> = N extends keyof components['schemas']
  ? components['schemas'][N] extends { body?: infer B }
    ? NonNullable<B>
    : never
  : never;
