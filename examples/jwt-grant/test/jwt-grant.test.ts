import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

describe('examples/jwt-grant (the demo)', () => {
  it('runs the whole flow on the embedded mock server, without printing a secret', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line), {});
    const out = lines.join('\n');
    expect(out).toMatch(/embedded mock server/);
    expect(out).toMatch(/Logged in as Mock User, extension 101; token requests: 1\./);
    expect(out).toMatch(/The access token changed: yes/);
    expect(out).toMatch(/Token requests so far: 2/);
    expect(out).toMatch(/Token requests made by the second client: 0\./);
    expect(out).toMatch(/Revoked the session\.\nDone\./);
    expect(out).not.toMatch(/eyJ/); // no part of a JWT
    expect(out).not.toContain('mock-client-secret');
  });

  it('refuses a half-set RingCentral configuration with a clear message', async () => {
    await expect(main(() => {}, { RC_CLIENT_ID: 'x' })).rejects.toThrow(/missing RC_CLIENT_SECRET, RC_JWT/);
  });

  it('the built demo (the README’s demo command) exits 0', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(entry), 'build the examples first (npm test does)').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [entry], {
      env: { PATH: process.env.PATH },
    });
    expect(stdout).toMatch(/Done\./);
  });
});
