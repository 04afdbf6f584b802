// The generator precomputes each operation's reply type (generated/replies.ts) so a call costs the
// type-checker one lookup. This checks, for every operation of the description, that the lookup
// gives what the conditional-type reading of openapi-typescript's `operations` gives.
import { expectTypeOf } from 'vitest';
import type { operations } from '../src/generated/openapi.js';
import type { Replies } from '../src/generated/replies.js';
import type { JsonOf } from '../src/operation-types.js';

type Success = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207;
type Responses<Id extends keyof operations> = operations[Id]['responses'];
type Computed<Id extends keyof operations> = {
  [K in keyof Responses<Id> & Success]: JsonOf<Responses<Id>[K]>;
}[keyof Responses<Id> & Success] extends infer J
  ? [J] extends [never]
    ? 204 extends keyof Responses<Id>
      ? undefined
      : unknown
    : J
  : never;

/** `true` where the two agree exactly (mutual assignability, `any`-proof), else the operation's id. */
type Agrees<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Disagreeing = {
  [Id in keyof operations]: Agrees<Replies[Id], Computed<Id>> extends true ? never : Id;
}[keyof operations];

export function everyReplyAgrees() {
  expectTypeOf<Disagreeing>().toBeNever();
  expectTypeOf<keyof Replies>().toEqualTypeOf<keyof operations>();
}
