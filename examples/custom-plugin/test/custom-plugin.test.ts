import { expect, it } from 'vitest';
import { main } from '../src/main.js';

it('examples/custom-plugin: the timing plugin reports every request with its status and time', async () => {
  const lines: string[] = [];
  const timings = await main((line) => lines.push(line));
  expect(timings).toHaveLength(3);
  for (const t of timings) {
    expect(t.status).toBe(200);
    expect(t.ms).toBeGreaterThanOrEqual(15); // the server's latency is at least 20 ms
  }
  expect(lines[0]).toMatch(/^GET \/restapi\/v1\.0\/account\/~.* → 200 in \d+ ms$/);
});
