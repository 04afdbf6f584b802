// The README's "Lists, batches, uploads and downloads" snippet, type-checked as a user's strict
// program would be (exactOptionalPropertyTypes, noUncheckedIndexedAccess) with `import '@rc/api'`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ts = require('typescript') as typeof import('typescript');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function snippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Lists, batches, uploads and downloads'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('no ts block in the README section');
  return match[1]!;
}

it("the README's lists/batches/uploads/downloads snippet type-checks strictly", { timeout: 120_000 }, () => {
  const program = (code: string) => `import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import { messageBody, type RcClient } from '@rc/core';
declare const rc: RcClient;
declare const ids: string[];
${code}
export {};
`;
  // The snippet as written, and a copy reading a field the record type lacks (must not compile).
  const file = join(root, 'packages', 'api', 'test', '__readme__.mts');
  const wrong = join(root, 'packages', 'api', 'test', '__readme_wrong__.mts');
  const sources = new Map([
    [file, program(snippet())],
    [wrong, program(snippet().replace('call.startTime', 'call.startTimeTypo'))],
  ]);
  const options: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    baseUrl: root,
    paths: {
      '@rc/core': ['./packages/core/src/index.ts'],
      '@rc/api': ['./packages/api/src/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => sources.get(name) ?? readFile(name);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    const text = sources.get(name);
    return text === undefined ? getSourceFile(name, lang, ...rest) : ts.createSourceFile(name, text, lang);
  };
  const checked = ts.createProgram([...sources.keys()], options, host);
  const errorsOf = (name: string) =>
    ts
      .getPreEmitDiagnostics(checked)
      .filter((d) => d.file?.fileName === name)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errorsOf(file)).toEqual([]);
  expect(errorsOf(wrong).join('\n')).toMatch(/startTimeTypo/);
});
