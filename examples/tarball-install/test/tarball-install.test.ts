// Issue 11's "must show": every package packed with `pnpm pack`, the tarballs installed with npm
// into an empty project outside the workspace (third-party dependencies from the npm registry), a
// program written from the READMEs type-checked under NodeNext and bundler resolution, then run
// against @rc/testing's mock. One pack and one install for all the tests below.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packAll } from '../../../scripts/pack.mjs';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const program = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// The type test of `undefined` for optional options, checked against the packed .d.ts files too.
const typeTest = fileURLToPath(new URL('../src/undefined-options.ts', import.meta.url));

/** A user's shell: no pnpm or npm settings of the workspace run, no RingCentral credentials. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|NODE_OPTIONS$|VITEST|RC_)/i.test(key)) env[key] = value;
  }
  return env;
}

const strict = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  target: 'ES2022',
  lib: ['ES2023', 'DOM'],
  types: ['node'],
  skipLibCheck: false,
};

let work = '';
let app = '';
let packed: PackedPackage[] = [];

describe('the packed packages, installed from their tarballs outside the workspace', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rc-tarball-install-'));
    app = join(work, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    packed = await packAll(join(work, 'tarballs'));

    const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'rc-tarball-user',
        private: true,
        type: 'module',
        dependencies,
        devDependencies: { '@types/node': '^22.19.0' },
      }),
    );
    copyFileSync(program, join(app, 'src', 'main.ts'));
    copyFileSync(typeTest, join(app, 'src', 'undefined-options.ts'));
    // Every package's public face, loaded and type-checked as a user's import would.
    writeFileSync(
      join(app, 'src', 'all.ts'),
      `${packed.map((p, i) => `import * as p${i} from '${p.name}';`).join('\n')}\n` +
        `export const exported = { ${packed.map((p, i) => `'${p.name}': Object.keys(p${i})`).join(', ')} };\n`,
    );
    writeFileSync(
      join(app, 'tsconfig.nodenext.json'),
      JSON.stringify({
        compilerOptions: {
          ...strict,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          outDir: 'dist',
          rootDir: 'src',
        },
        include: ['src'],
      }),
    );
    writeFileSync(
      join(app, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'bundler', noEmit: true },
        include: ['src'],
      }),
    );
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--registry=https://registry.npmjs.org/',
      ],
      { cwd: app, env: userEnv(), timeout: 240_000, maxBuffer: 16 << 20 },
    );
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs every published package, with no workspace: range left', async () => {
    expect(packed.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@rc/core', '@rc/auth-jwt', '@rc/testing']),
    );
    const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: app, env: userEnv() });
    const tree = JSON.parse(stdout) as { dependencies: Record<string, { version: string }> };
    for (const p of packed) expect(tree.dependencies[p.name]?.version, p.name).toBe(p.manifest.version);
  });

  it.each(['nodenext', 'bundler'])(
    'type-checks the README program with %s resolution',
    async (kind) => {
      const result = await run(process.execPath, [tsc, '-p', `tsconfig.${kind}.json`], {
        cwd: app,
        env: userEnv(),
        timeout: 120_000,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
      expect(result.stdout).toBe('');
    },
    150_000,
  );

  it('runs it on this Node against the mock: JWT login, API call, token reuse, refresh, revoke', async () => {
    // The NodeNext type-check above emitted dist/; the tests run in order within this file.
    const { stdout } = await run(process.execPath, ['dist/main.js'], {
      cwd: app,
      env: userEnv(),
      timeout: 60_000,
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(seen).toMatchObject({
      name: 'Mock User',
      extensionNumber: '101',
      reusedName: 'Mock User',
      jwtLogins: 1,
      loginsBySecondClient: 0,
      refreshes: 1,
      refreshedTokenChanged: true,
      refreshedName: 'Mock User',
      revokes: 1,
      storedAfterRevoke: false,
      afterRevoke: 'RC_AUTH_REQUIRED',
      envClientConfidential: false,
    });
    expect(seen.events).toHaveLength(2); // the login and the refresh
    expect(stdout).not.toMatch(/eyJ|mock-client-secret/); // no JWT, no secret
  }, 90_000);

  it('loads every package at run time from node_modules', async () => {
    // Every entry point, subpaths included. @rc/api's main entry is types only: it loads, with no
    // run-time export (0 bytes in a bundle); its operation table is the subpath.
    const TYPES_ONLY = new Set(['@rc/api']);
    const SUBPATHS = ['@rc/api/operations', '@rc/core/kit', '@rc/core/multipart', '@rc/testing/store-suite'];
    const entries = [...packed.map((p) => p.name), ...SUBPATHS];
    const names = JSON.stringify(entries);
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `for (const n of ${names}) console.log(n, Object.keys(await import(n)).length)`,
      ],
      { cwd: app, env: userEnv(), timeout: 60_000 },
    );
    for (const name of entries)
      expect(stdout).toMatch(new RegExp(`^${name} ${TYPES_ONLY.has(name) ? '0' : '[1-9]'}`, 'm'));
  }, 90_000);
});
