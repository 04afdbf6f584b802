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

  it('core imports none of our packages; grant packages import only @rc/core', () => {
    for (const { file, text } of sources('core')) expect(text, file).not.toMatch(/from ['"]@rc\//);
    for (const pkg of ['auth-password', 'auth-code']) {
      for (const { file, text } of sources(pkg)) {
        for (const [, spec] of text.matchAll(/from ['"](@rc\/[^'"]+)['"]/g))
          expect(spec, file).toBe('@rc/core');
      }
    }
  });
});
