// Editor completion, through TypeScript's own language service (what VS Code and others run): after
// `rc.get('/restapi/v1.0/a` the list offers the documented paths of GET, and only GET's.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ts = require('typescript') as typeof import('typescript');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function completionsAt(source: string, marker: string): string[] {
  const file = join(root, 'packages', 'api', 'test', '__completion__.ts');
  const options: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    baseUrl: root,
    paths: {
      '@rc/core': ['./packages/core/src/index.ts'],
      '@rc/api': ['./packages/api/src/index.ts'],
    },
  };
  const host: import('typescript').LanguageServiceHost = {
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = name === file ? source : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? source : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const position = source.indexOf(marker) + marker.length;
  const completions = service.getCompletionsAtPosition(file, position, {});
  return completions?.entries.map((e) => e.name) ?? [];
}

it('lists the documented paths after typing a path prefix', { timeout: 120_000 }, () => {
  const source = `import '@rc/api';
import type { RcClient } from '@rc/core';
declare const rc: RcClient;
rc.get('/restapi/v1.0/a');
`;
  const names = completionsAt(source, "rc.get('/restapi/v1.0/a");
  expect(names).toContain('/restapi/v1.0/account/{accountId}/extension/{extensionId}');
  expect(names).toContain('/restapi/v1.0/account/{accountId}/call-log');
  // Only GET's paths: the SMS endpoint is POST-only.
  expect(names).not.toContain('/restapi/v1.0/account/{accountId}/extension/{extensionId}/sms');
  expect(names.length).toBeGreaterThan(100);
});
