// @rc/api: RingCentral's REST API as types. `import '@rc/api'` once (anywhere in the program) types
// every `rc.get/post/put/patch/delete`, `rc.paginate`, `rc.batchGet` call with a literal path, and the
// notification bodies of @rc/subscriptions and @rc/webhooks. Types only: this module is empty at run
// time. The operation table (run-time data) is `@rc/api/operations`.
import './augment.js';

export type { KnownPath, ResolvedOperation } from './augment.js';
export type { components, operations } from './generated/openapi.js';
export type { PathTemplates } from './generated/routes.js';
export type { EventSchemaOf, OperationIdOf, RelativePath } from './match.js';
export type {
  EventBodyOfSchemas,
  JsonBodyOf,
  OperationId,
  QueryOf,
  RecordOf,
  RequestOptionsOf,
  ResponseOf,
} from './operation-types.js';

/** A schema of the description by name, e.g. `Schema<'GetExtensionInfoResponse'>`. */
export type Schema<Name extends keyof import('./generated/openapi.js').components['schemas']> =
  import('./generated/openapi.js').components['schemas'][Name];
