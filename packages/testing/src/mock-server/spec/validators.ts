/**
 * ajv over the description: two instances, compiled lazily and once per schema. `replies`
 * validates what the mock sends (no coercion: a number sent as a string is a violation);
 * `requests` checks query and path parameters, which arrive as strings, coercing them to the
 * described types (`coerceTypes: 'array'` also turns a single `type=Voice` into `['Voice']`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from './document.js';
import { componentSchemas, toJsonSchema } from './json-schema.js';

// ajv-formats is CommonJS: its default export is the function under NodeNext's interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const INT32 = 2 ** 31;

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    // Strict mode refuses OpenAPI's leftovers (`readOnly` on a `$ref`'s sibling …) and unknown
    // formats; the converter drops the dialect's own keywords, so only those remain.
    strict: false,
    allErrors: false,
    validateSchema: false,
    coerceTypes: coerce ? 'array' : false,
    // Many schemas are referenced hundreds of times: one function each, not inlined copies.
    inlineRefs: false,
    code: { optimize: false },
    // The description's patterns are ECMAScript, not Unicode-mode (`\"` is an invalid escape there).
    unicodeRegExp: false,
  });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('binary', true);
  // RingCentral's times of day are local (`09:00`, `17:30:00`): RFC 3339's offset is optional here.
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i);
  ajv.addSchema(componentSchemas(openApiDocument().components.schemas));
  return ajv;
}

let replies: Ajv | undefined;
let requests: Ajv | undefined;

function ajvFor(kind: 'reply' | 'request'): Ajv {
  if (kind === 'reply') {
    replies ??= createAjv(false);
    return replies;
  }
  requests ??= createAjv(true);
  return requests;
}
const compiled = new Map<string, ValidateFunction>();

/** A validator for `schema` (already JSON Schema), compiled on first use and kept under `key`. */
export function validator(key: string, schema: unknown, kind: 'reply' | 'request'): ValidateFunction {
  const id = `${kind}:${key}`;
  let fn = compiled.get(id);
  if (!fn) {
    fn = ajvFor(kind).compile(schema as object);
    compiled.set(id, fn);
  }
  return fn;
}

/** One line per error: `/records/0/id must be string`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}

const bySchema = new Map<string, ValidateFunction>();

/** Whether `value` satisfies the OpenAPI `schema` (the synthesiser's check for `oneOf` branches). */
export function accepts(schema: object, value: unknown): boolean {
  // Keyed by content: the synthesiser builds merged schemas afresh on every call.
  const key = JSON.stringify(schema);
  let fn = bySchema.get(key);
  if (!fn) {
    fn = ajvFor('reply').compile(toJsonSchema(schema) as object);
    bySchema.set(key, fn);
  }
  return fn(value);
}
