import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tokenStoreTestSuite } from '@rc/testing/store-suite';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { DatabaseSync } from '../src/node-sqlite.js';
import { sqliteStore } from '../src/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'rc-sqlite-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The whole conformance test: every store on one file, as processes sharing it would be.
// lockTtlMs 600: a lock is renewed every 200 ms, so a lost one is noticed within the suite's wait.
tokenStoreTestSuite(
  { describe, it },
  ({ namespace }) => sqliteStore({ path: join(dir, 'suite.db'), namespace, lockTtlMs: 600 }),
  {
    name: 'sqliteStore',
    close: (store) => (store as ReturnType<typeof sqliteStore>).close(),
    // As a takeover would: the lock's row is gone.
    loseLock: async ({ namespace, key }) => {
      const db = new DatabaseSync(join(dir, 'suite.db'));
      try {
        db.prepare('DELETE FROM rc_locks WHERE name = ?').run(`rc:${encodeURIComponent(namespace)}:${key}`);
      } finally {
        db.close();
      }
    },
  },
);

describe('sqliteStore across processes', () => {
  it('withLock excludes holders in other processes sharing the file', async () => {
    const built = fileURLToPath(new URL('../dist/sqlite-store.js', import.meta.url));
    expect(existsSync(built), 'build the examples first (npm test does)').toBe(true);
    const counter = join(dir, 'counter.txt');
    writeFileSync(counter, '0');
    // Each process adds 1 to a plain file 15 times inside the lock: read, wait, write. Without
    // exclusion the read-wait-write cycles interleave and updates are lost.
    const worker = `
      import { readFileSync, writeFileSync } from 'node:fs';
      import { setTimeout as sleep } from 'node:timers/promises';
      const { sqliteStore } = await import(${JSON.stringify(new URL('../dist/sqlite-store.js', import.meta.url).href)});
      const store = sqliteStore({ path: ${JSON.stringify(join(dir, 'lock.db'))}, namespace: 'lock' });
      for (let i = 0; i < 15; i++) {
        await store.withLock('session', async () => {
          const n = Number(readFileSync(${JSON.stringify(counter)}, 'utf8'));
          await sleep(2);
          writeFileSync(${JSON.stringify(counter)}, String(n + 1));
        });
      }
      await store.close();
    `;
    const run = promisify(execFile);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--input-type=module', '-e', worker], {
          env: { PATH: process.env.PATH },
          timeout: 60_000,
        }),
      ),
    );
    expect(Number(readFileSync(counter, 'utf8'))).toBe(60);
    // Node 22 would print an ExperimentalWarning for node:sqlite: the store keeps it quiet.
    for (const { stderr } of results) expect(stderr).toBe('');
  }, 90_000);

  it('refuses a misspelt option at the call', () => {
    expect(() => sqliteStore({ path: join(dir, 'x.db'), name_space: 'x' } as never)).toThrow(
      /unknown option "name_space"/,
    );
  });
});

describe('examples/sqlite-store', () => {
  it('two clients on one file: one JWT login, one refresh', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/JWT logins 1\.[\s\S]*refreshes 1\./);
  });
});
