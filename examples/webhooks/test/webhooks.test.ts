import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

describe('examples/webhooks', () => {
  it('receives message-store events by webhook, renews, reuses after a restart, shows no secret', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line), { RC_WEBHOOK_TOKEN: 'example-verification-token' });
    const out = lines.join('\n');
    expect(out).toMatch(/embedded mock server/);
    expect(out).toMatch(
      /1\. Created the webhook \(subscription [\w-]+\): the server answered the validation handshake\./,
    );
    expect(out).toMatch(/event 1: 1 new SMS \(\/restapi\/v1\.0\/account\/1\/extension\/101\/message-store\)/);
    expect(out).toMatch(/2\. Renewed before it expired/);
    expect(out).toMatch(/3\. Restarted with the same store: reused the subscription \(1 at RingCentral\)\./);
    expect(out).toMatch(/event 2: 1 new VoiceMail/);
    expect(out).toMatch(/4\. Received 2 events; deleted the webhook\./);
    expect(out).toMatch(/Done\./);
    for (const secret of ['mock-password', 'mock-client-secret', 'example-verification-token']) {
      expect(out).not.toContain(secret);
    }
  });

  it('the built example (node dist/main.js) exits 0 by itself', async () => {
    const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(entry), 'build the examples first (npm test does)').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [entry], {
      env: { PATH: process.env.PATH },
      timeout: 20_000,
    });
    expect(stdout).toMatch(/4\. Received 2 events; deleted the webhook\./);
  });
});
