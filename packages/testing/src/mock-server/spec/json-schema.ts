/**
 * OpenAPI 3.0 schema objects → JSON Schema (draft-07) for ajv. 3.0 is a dialect: `nullable`
 * widens a type to `null`, `exclusiveMinimum` / `exclusiveMaximum` are booleans beside
 * `minimum` / `maximum`, and `$ref`s point into `#/components/schemas`. Everything else ajv
 * reads as is; OpenAPI-only annotations (`discriminator`, `xml`, `x-*`) are dropped, so ajv can
 * run with `strict: true` on everything but unknown formats.
 */
import type { OpenApiSchema } from './document.js';

/** The `$id` of the component schema `name`: one resource each, so ajv compiles each only once. */
export const componentId = (name: string) => `rc:${encodeURIComponent(name)}`;

const DROPPED = new Set(['discriminator', 'xml', 'externalDocs', 'example', 'deprecated', 'nullable']);

/**
 * Two readings of the description, decided once here (the README's "what the mock does not model"
 * lists them): its `oneOf`s join alternatives whose branches overlap (objects with no required
 * property match each other), so no value could match exactly one: read as `anyOf`. And its paging
 * models close themselves with `additionalProperties: false` yet are extended through `allOf`
 * (`RSPagingModel` adds `sortableFields`), which no value could satisfy: read as open.
 */
function extendedByAllOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) extendedByAllOf(item, found);
  else if (typeof node === 'object' && node !== null) {
    const { allOf } = node as { allOf?: unknown };
    if (Array.isArray(allOf)) {
      for (const part of allOf) {
        const name = /^#\/components\/schemas\/(.+)$/.exec(String((part as { $ref?: unknown })?.$ref))?.[1];
        if (name) found.add(name);
      }
    }
    for (const value of Object.values(node)) extendedByAllOf(value, found);
  }
  return found;
}

/** Converts one schema (and everything below it); refs become `rc:Name`. */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as OpenApiSchema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === 'oneOf') {
      out.anyOf = toJsonSchema(value);
    } else if (key === '$ref' && typeof value === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(value)?.[1];
      out.$ref = name === undefined ? value : componentId(name);
    } else if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if (key === 'enum' || key === 'required' || key === 'default') {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (source.exclusiveMinimum === true) {
    out.exclusiveMinimum = source.minimum;
    delete out.minimum;
  } else if (source.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (source.exclusiveMaximum === true) {
    out.exclusiveMaximum = source.maximum;
    delete out.maximum;
  } else if (source.exclusiveMaximum === false) delete out.exclusiveMaximum;
  // A `$ref` in draft-07 ignores its siblings: keep them by moving the ref into an allOf.
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return nullable(source, { ...rest, allOf: [{ $ref }, ...((rest.allOf as unknown[]) ?? [])] });
  }
  return nullable(source, out);
}

function nullable(source: OpenApiSchema, out: Record<string, unknown>): unknown {
  if (source.nullable !== true) return out;
  if (typeof out.type === 'string') {
    const widened: Record<string, unknown> = { ...out, type: [out.type, 'null'] };
    if (Array.isArray(out.enum)) widened.enum = [...out.enum, null];
    return widened;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/** Every component schema, converted, each under its own `$id` (compiled only when referenced). */
export function componentSchemas(schemas: Record<string, OpenApiSchema>): Record<string, unknown>[] {
  const extended = extendedByAllOf(schemas);
  return Object.entries(schemas).map(([name, schema]) => {
    const converted = toJsonSchema(schema) as Record<string, unknown>;
    if (extended.has(name) && converted.additionalProperties === false) delete converted.additionalProperties;
    // A converted nullable `$ref` is an `anyOf`: any object schema can carry an `$id`.
    return { $id: componentId(name), ...converted };
  });
}
