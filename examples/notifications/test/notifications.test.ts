import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

describe('examples/notifications', () => {
  it('prints each message-store event, recovers after a drop, and shows no secret', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line), {});
    const out = lines.join('\n');
    expect(out).toMatch(/embedded mock server/);
    expect(out).toMatch(/1\. Subscribed to message-store events over WebSocket \(subscription [\w-]+\)\./);
    expect(out).toMatch(/event 1: 1 new SMS \(\/restapi\/v1\.0\/account\/1\/extension\/101\/message-store\)/);
    expect(out).toMatch(/event 2: 2 new SMS/);
    expect(out).toMatch(/session was recovered/);
    expect(out).toMatch(/event 3: 1 new VoiceMail/);
    expect(out).toMatch(/4\. Received 3 events, 0 twice\./);
    expect(out).toMatch(/Done\./);
    for (const secret of ['mock-password', 'mock-client-secret', 'access_token=', 'wsc=']) {
      expect(out).not.toContain(secret);
    }
  });

  it('refuses a half-set RingCentral configuration with a clear message', async () => {
    await expect(main(() => {}, { RC_CLIENT_ID: 'x' })).rejects.toThrow(/missing RC_SERVER_URL/);
  });

  it('the built example (node dist/main.js) exits 0 by itself', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(entry), 'build the examples first (npm test does)').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [entry], {
      env: { PATH: process.env.PATH },
      timeout: 20_000,
    });
    expect(stdout).toMatch(/Received 3 events, 0 twice\./);
    expect(stdout).toMatch(/Done\./);
  });
});
