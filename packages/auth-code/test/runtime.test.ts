import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The package runs in browsers and edge runtimes: its source may use web-standard APIs only.
const dir = new URL('../src/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('web-standard source', () => {
  it.each(files)('%s imports only @rc/core (and its kit) and its own files', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const imports = [...source.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)].map(
      (m) => m[1] ?? m[2],
    );
    for (const specifier of imports) expect(specifier).toMatch(/^(@rc\/core(\/kit)?|\.\/[\w-]+\.js)$/);
    expect(source).not.toMatch(/\b(require\(|process\.|Buffer\b|node:)/);
  });
});
