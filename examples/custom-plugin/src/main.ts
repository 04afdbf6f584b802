// What you need: Node.js 20. Runs on an embedded mock RingCentral server with 20–60 ms latency.
// Shows a custom plugin (./timing.ts) composed with the built-in ones.
import { pathToFileURL } from 'node:url';
import { concurrency, createClient } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { type Timing, timing } from './timing.js';

export async function main(say: (line: string) => void = console.log): Promise<Timing[]> {
  const server = await startMockServer({ latencyMs: { min: 20, max: 60 } });
  const timings: Timing[] = [];
  try {
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      plugins: [concurrency({ max: 2 }), timing((t) => timings.push(t))],
    });
    await rc.setToken(server.issueToken());
    await Promise.all([
      rc.get('/restapi/v1.0/account/~/extension/~'),
      rc.get('/restapi/v1.0/account/~'),
      rc.get('/restapi/v1.0/account/~/extension/~'),
    ]);
    for (const t of timings) say(`${t.method} ${t.path} → ${t.status} in ${t.ms.toFixed(0)} ms`);
    return timings;
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
