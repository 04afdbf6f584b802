import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect, it } from 'vitest';
import { main } from '../src/main.js';

const EXT = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}';

it('examples/tracing: the demo’s flow as a trace, named by operation, with the token flow and a rate-limit wait', async () => {
  const lines: string[] = [];
  const spans = await main((line) => lines.push(line), new InMemorySpanExporter());
  const out = lines.join('\n');
  const names = spans.map((s) => s.name);
  expect(names.filter((n) => n === 'rc.token.login')).toHaveLength(1);
  expect(names.filter((n) => n === 'rc.token.refresh')).toHaveLength(1);
  expect(names.filter((n) => n === 'rc.token.revoke')).toHaveLength(1);
  expect(names.filter((n) => n === `${EXT}/presence`)).toHaveLength(2);
  expect(spans.some((s) => s.name === EXT && s.events.some((e) => e.name === 'rc.rate_limit.wait'))).toBe(
    true,
  );
  expect(names.every((n) => !/\d{3}/.test(n))).toBe(true); // no id in a name
  // The tree: every span under the demo's root.
  expect(out).toMatch(/The trace:\n {2}demo \(\d+ ms\)\n {4}/);
  expect(out).toMatch(/rc\.token\.refresh \(\d+ ms\) status_code=200 outcome=success/);
  expect(out).toMatch(
    /http\.client\.request\.duration .*"url\.template":"\/restapi\/v1\.0\/account\/\{accountId\}\/extension\/\{extensionId\}"/,
  );
  expect(out).toMatch(/rc\.token\.refreshes \{"rc\.token\.outcome":"success"\} 1/);
  expect(out).not.toMatch(/eyJ/);
  expect(out).toMatch(/Done\.$/);
});

it('the built demo prints its spans with the console exporter and exits 0', async () => {
  const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  expect(existsSync(entry), 'build the examples first (npm test does)').toBe(true);
  const { stdout } = await promisify(execFile)(process.execPath, [entry], {
    env: { PATH: process.env.PATH },
  });
  expect(stdout).toMatch(/name: 'rc\.token\.login'/); // the console exporter's own output
  expect(stdout).toMatch(/Done\./);
  expect(stdout).not.toMatch(/eyJ/);
});
