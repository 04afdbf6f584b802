// The response oracle over the whole test run: every JSON reply any mock server sends, in any
// project, is checked against RingCentral's description (src/mock-server/spec/oracle.ts appends
// each violation to the file named here); the teardown fails the run when the file is not empty.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIOLATIONS_ENV } from '../src/mock-server/spec/oracle.js';

export default function setup(): (() => void) | undefined {
  // Every project runs this; the first one owns the file and its verdict.
  if (process.env[VIOLATIONS_ENV]) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rc-mock-oracle-'));
  const file = join(dir, 'violations.txt');
  writeFileSync(file, '');
  process.env[VIOLATIONS_ENV] = file;
  return () => {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    rmSync(dir, { recursive: true, force: true });
    delete process.env[VIOLATIONS_ENV];
    if (lines.length > 0) {
      const distinct = [...new Set(lines)];
      throw new Error(
        `The mock server sent ${lines.length} replies that RingCentral's description does not allow (${distinct.length} distinct):\n${distinct.slice(0, 40).join('\n')}`,
      );
    }
  };
}
