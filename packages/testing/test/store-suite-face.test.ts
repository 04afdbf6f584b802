// Issue 19: a store author gets the conformance suite without the mock server —
// `@rc/testing/store-suite` imports nothing of the mock (no ajv, no ws, no @rc/api).
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as face from '../src/store-suite/index.js';

it('@rc/testing/store-suite imports only core, node:assert, node:crypto and its own files', () => {
  const dir = new URL('../src/store-suite/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [, spec] of source.matchAll(/^(?:import|export)[^;]*?from\s+'([^']+)'/gm))
      expect(spec, file).toMatch(/^(\.\/[\w-]+\.js|@rc\/core(\/kit)?|node:(assert\/strict|crypto))$/);
  }
  expect(Object.keys(face)).toEqual(['tokenStoreTestSuite']);
});
