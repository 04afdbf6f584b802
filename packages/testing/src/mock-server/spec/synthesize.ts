/**
 * A deterministic example value for an OpenAPI 3.0 schema: the reply of an operation the mock has
 * no behaviour for. The same seed (operation id and path parameters) gives the same value, so a
 * test can read a resource twice and compare. The value satisfies the schema: enums, formats,
 * patterns, bounds, required properties, `allOf` / `oneOf`; recursion stops at a depth where only
 * required properties and empty arrays remain.
 */
import { type OpenApiSchema, resolveRef } from './document.js';
import { accepts } from './validators.js';

/** A small seeded PRNG (mulberry32 over an FNV-1a hash of the seed). */
export function seeded(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SynthOptions {
  /** `http://127.0.0.1:PORT`, for `uri` fields. */
  baseUrl: string;
  /** The clock, for date-times near "now". */
  now: number;
}

/** Beyond this depth only required properties are produced, and arrays are as short as allowed. */
const DEEP = 5;
/** A hard stop for schemas that require themselves. */
const MAX_DEPTH = 12;

/** `schema` with its `$ref`s followed and its `allOf` merged into one object schema. */
export function flatten(schema: OpenApiSchema | undefined): OpenApiSchema {
  const s = resolveRef<OpenApiSchema>(schema ?? {});
  if (!Array.isArray(s.allOf)) return s;
  const { allOf, ...rest } = s;
  const merged: OpenApiSchema = { ...rest };
  const properties: Record<string, unknown> = { ...((rest.properties as object) ?? {}) };
  const required = new Set<string>((rest.required as string[]) ?? []);
  for (const part of allOf as OpenApiSchema[]) {
    const flat = flatten(part);
    for (const [k, v] of Object.entries(flat)) {
      if (k === 'properties') Object.assign(properties, v);
      else if (k === 'required') for (const r of v as string[]) required.add(r);
      else if (!(k in merged)) merged[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

// Values that satisfy the description's patterns (phone numbers, digit strings, ISO times, …).
const PATTERN_SAMPLES = [
  '+16505550100',
  '16505550100',
  '101',
  '12',
  '1',
  '2',
  '2026-01-01T00:00:00Z',
  'Text',
  'Top',
  'Left',
  'Cover',
];

export class Synthesizer {
  readonly #random: () => number;
  readonly #options: SynthOptions;

  constructor(seed: string, options: SynthOptions) {
    this.#random = seeded(seed);
    this.#options = options;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  value(schema: OpenApiSchema | undefined, name = '', depth = 0): unknown {
    const s = flatten(schema);
    if (Array.isArray(s.enum) && s.enum.length > 0) {
      const choices = s.enum.filter((v) => v !== null);
      return choices[this.int(0, choices.length - 1)] ?? null;
    }
    const branches = (s.oneOf ?? s.anyOf) as OpenApiSchema[] | undefined;
    if (Array.isArray(branches) && branches.length > 0) {
      // Each branch merged with the rest of the schema, the first whose value the whole schema
      // accepts (a loose branch may match several of `oneOf`'s, which is a violation).
      const { oneOf: _o, anyOf: _a, ...rest } = s;
      let first: unknown;
      for (const [i, branch] of branches.entries()) {
        const candidate = this.value({ allOf: [rest, branch] }, name, depth);
        if (i === 0) first = candidate;
        if (accepts(s, candidate)) return candidate;
      }
      return first;
    }
    const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
    switch (type) {
      case 'object':
        return this.object(s, depth);
      case 'array':
        return this.array(s, name, depth);
      case 'integer':
        return this.integer(s, name);
      case 'number':
        return this.integer(s, name) + (s.format === 'int32' || s.format === 'int64' ? 0 : 0.5);
      case 'boolean':
        return this.#random() < 0.5;
      case 'string':
        return this.string(s, name);
      default:
        return s.properties ? this.object(s, depth) : {};
    }
  }

  object(s: OpenApiSchema, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const properties = (s.properties ?? {}) as Record<string, OpenApiSchema>;
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [key, prop] of Object.entries(properties)) {
      if (!required.has(key) && depth >= DEEP) continue;
      if (depth >= MAX_DEPTH) continue;
      const p = flatten(prop);
      if (p.writeOnly === true && !required.has(key)) continue;
      out[key] = this.value(prop, key, depth + 1);
    }
    return out;
  }

  array(s: OpenApiSchema, name: string, depth: number): unknown[] {
    const min = typeof s.minItems === 'number' ? s.minItems : 0;
    const max = typeof s.maxItems === 'number' ? s.maxItems : Number.POSITIVE_INFINITY;
    const count = Math.min(max, Math.max(min, depth >= DEEP ? 0 : 1));
    const items = flatten(s.items as OpenApiSchema | undefined);
    if (s.uniqueItems === true && Array.isArray(items.enum)) return items.enum.slice(0, count);
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) out.push(this.value(items, name, depth + 1));
    return out;
  }

  integer(s: OpenApiSchema, name: string): number {
    const lo = typeof s.minimum === 'number' ? s.minimum + (s.exclusiveMinimum === true ? 1 : 0) : 0;
    const fallbackHi = /id$/i.test(name) ? 999_999_999 : 1000;
    const hi =
      typeof s.maximum === 'number' ? s.maximum - (s.exclusiveMaximum === true ? 1 : 0) : lo + fallbackHi;
    return this.int(Math.ceil(lo), Math.floor(Math.max(lo, hi)));
  }

  string(s: OpenApiSchema, name: string): string {
    const n = this.int(1, 9999);
    const time = this.#options.now - this.int(0, 30 * 24 * 3600) * 1000;
    const min = typeof s.minLength === 'number' ? s.minLength : 0;
    const max = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY;
    let value: string;
    if (typeof s.pattern === 'string') {
      const re = new RegExp(s.pattern);
      value = PATTERN_SAMPLES.find((v) => re.test(v) && v.length >= min && v.length <= max) ?? '1';
      return value;
    }
    switch (s.format) {
      case 'date-time':
        return new Date(Math.floor(time / 1000) * 1000).toISOString();
      case 'date':
        return new Date(time).toISOString().slice(0, 10);
      case 'time':
        return new Date(time).toISOString().slice(11, 16);
      case 'uri':
        return `${this.#options.baseUrl}/restapi/v1.0/mock/${n}`;
      case 'email':
        return `user${n}@example.com`;
      case 'uuid':
        return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      case 'ipv4':
        return `192.0.2.${n % 255}`;
      case 'byte':
        return Buffer.from(`mock ${n}`).toString('base64');
      default:
        value = /id$/i.test(name)
          ? String(n * 1000 + 17)
          : /phoneNumber$/i.test(name)
            ? `+1650555${String(n).padStart(4, '0')}`
            : `${name || 'value'} ${n}`;
    }
    if (value.length > max) value = value.slice(0, max);
    while (value.length < min) value += 'x';
    return value;
  }
}
