#!/usr/bin/env node
// RingCentral's API description (../shared/spec/rc-public-openapi.yml) is input data, and its prose is
// RingCentral's text: this script derives the copy the project keeps (packages/api/spec/openapi.json)
// with every documentation string removed — descriptions, examples, tag and server blurbs — and keeps
// what code needs: paths, methods, parameters, schemas, enums, operation ids, summary titles, and the
// `x-` fields (rate-limit group, permissions, notifications). The output is deterministic (same input,
// same bytes), so `pnpm generate:api` from a fresh clone reproduces the committed files.
//
// Usage: node scripts/api/strip-spec.mjs [path/to/rc-public-openapi.yml]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SOURCE = join(root, '..', 'shared', 'spec', 'rc-public-openapi.yml');
export const STRIPPED = join(root, 'packages', 'api', 'spec', 'openapi.json');

// Documentation keys: dropped wherever they hold documentation. `description` and `title` are kept when
// they are property names inside a schema's `properties` (a field called "description" is data).
const PROSE = new Set(['description', 'example', 'examples', 'externalDocs', 'x-tagGroups', 'title']);
// Extension fields that carry prose or nothing the code uses.
const DROPPED_X = new Set(['x-availability', 'x-feature', 'x-enum-descriptions', 'x-enumDescriptions']);

function strip(value, parentKey) {
  if (Array.isArray(value)) return value.map((v) => strip(v, undefined));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    const isPropertyName = parentKey === 'properties';
    if (!isPropertyName && PROSE.has(key)) continue;
    if (!isPropertyName && DROPPED_X.has(key)) continue;
    out[key] = strip(v, key);
  }
  return out;
}

// A discriminator mapping that names a schema the description lacks (two in the 2026-08 copy) makes
// every generator and validator refuse the whole file: the entry is dropped, and said so.
function dropDanglingMappings(spec, say) {
  const exists = (ref) =>
    ref
      .slice(2)
      .split('/')
      .reduce((v, k) => v?.[k], spec) !== undefined;
  const visit = (value, path) => {
    if (value === null || typeof value !== 'object') return;
    const mapping = value.discriminator?.mapping;
    if (mapping && typeof mapping === 'object') {
      for (const [name, ref] of Object.entries(mapping)) {
        if (typeof ref === 'string' && ref.startsWith('#/') && !exists(ref)) {
          delete mapping[name];
          say(`dropped ${path}/discriminator/mapping/${name}: ${ref} is not in the description`);
        }
      }
    }
    for (const [key, v] of Object.entries(value)) visit(v, `${path}/${key}`);
  };
  visit(spec, '#');
}

/** The prose-free description as a JSON string (1-space indent, trailing newline). */
export function stripSpec(yamlText, say = () => {}) {
  const spec = parse(yamlText, { maxAliasCount: -1 });
  const out = strip(spec, undefined);
  dropDanglingMappings(out, say);
  // Keep the info block to what identifies the source.
  out.info = { title: spec.info?.title ?? 'RingCentral API', version: spec.info?.version ?? '' };
  out.servers = (spec.servers ?? []).map((s) => ({ url: s.url }));
  out.tags = (spec.tags ?? []).map((t) => ({ name: t.name }));
  return `${JSON.stringify(out, null, 1)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = process.argv[2] ?? SOURCE;
  writeFileSync(STRIPPED, stripSpec(readFileSync(source, 'utf8'), console.log));
  console.log(`wrote ${STRIPPED}`);
}
