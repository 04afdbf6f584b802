// Bundles the browser script (src/browser/app.ts) with @rc/core, @rc/auth-code and ky into one
// ES module for browsers. `npm run build` runs it after tsc and writes dist/public/app.js; the
// tests bundle straight from the packages' sources (`fromSource`), as vitest runs them.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// src/bundle.ts and dist/bundle.js both sit one level below the package root.
const root = new URL('../', import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, root));

/** Where `npm run build` puts the bundle, and where the app serves it from by default. */
export const DEFAULT_BUNDLE_DIR = path('dist/public');

export interface BundleOptions {
  /** The directory to write `app.js` (and `app.js.map`) into. @default dist/public */
  outdir?: string;
  /** Bundle the workspace packages from their `src/` rather than their built `dist/`. @default false */
  fromSource?: boolean;
}

const SOURCES = ['core', 'auth-code'];

export async function bundle(options: BundleOptions = {}): Promise<{ file: string; bytes: number }> {
  const outdir = options.outdir ?? DEFAULT_BUNDLE_DIR;
  const alias = options.fromSource
    ? {
        '@rc/core/kit': path('../../packages/core/src/kit.ts'),
        ...Object.fromEntries(
          SOURCES.map((name) => [`@rc/${name}`, path(`../../packages/${name}/src/index.ts`)]),
        ),
      }
    : {};
  const result = await build({
    entryPoints: { app: path('src/browser/app.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    alias,
    metafile: true,
    logLevel: 'warning',
  });
  const [file, output] = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('.js')) ?? [];
  return { file: file ?? '', bytes: output?.bytes ?? 0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { file, bytes } = await bundle();
  console.log(`bundled ${file} (${Math.round(bytes / 1024)} KiB)`);
}
