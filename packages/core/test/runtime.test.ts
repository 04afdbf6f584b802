import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Core and the grant packages run in browsers and edge runtimes: web-standard APIs only.
const packagesDir = fileURLToPath(new URL('../..', import.meta.url));

function sources(pkg: string): { file: string; text: string }[] {
  const dir = join(packagesDir, pkg, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${pkg}/src/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

describe('runtime neutrality', () => {
  for (const pkg of ['core', 'auth-password', 'auth-code']) {
    it(`${pkg} uses no node: modules, process or Buffer`, () => {
      for (const { file, text } of sources(pkg)) {
        const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
        expect(code, file).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b/);
      }
    });
  }

  it('core imports none of our packages; grant packages import only @rc/core (and its kit)', () => {
    for (const { file, text } of sources('core')) expect(text, file).not.toMatch(/from ['"]@rc\//);
    for (const pkg of ['auth-password', 'auth-code']) {
      for (const { file, text } of sources(pkg)) {
        for (const [, spec] of text.matchAll(/from ['"](@rc\/[^'"]+)['"]/g))
          expect(spec, file).toMatch(/^@rc\/core(\/kit)?$/);
      }
    }
  });

  // DESIGN: no import cycles inside a package (type-only imports count: they tie files together too).
  for (const pkg of readdirSync(packagesDir)) {
    it(`${pkg} has no import cycle between its source files`, () => {
      const files = new Map(sources(pkg).map(({ file, text }) => [file, text]));
      const edges = new Map<string, string[]>();
      for (const [file, text] of files) {
        const dir = file.slice(0, file.lastIndexOf('/'));
        const targets = [...text.matchAll(/from ['"](\.{1,2}\/[^'"]+)\.js['"]/g)].map(([, rel]) =>
          join(dir, `${rel}.ts`),
        );
        edges.set(
          file,
          targets.filter((t) => files.has(t)),
        );
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (file: string, path: string[]): void => {
        if (state.get(file) === 'done') return;
        if (state.get(file) === 'visiting') throw new Error(`import cycle: ${[...path, file].join(' → ')}`);
        state.set(file, 'visiting');
        for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
        state.set(file, 'done');
      };
      for (const file of files.keys()) visit(file, []);
      expect(files.size).toBeGreaterThan(0);
    });
  }
});
