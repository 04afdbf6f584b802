// What you need: Node.js 22 or later. It runs against an embedded mock RingCentral server, which is
// told to fail at the right moments so that every part of the token flow and the rate limiter shows.
//
// The JWT demo's flow (examples/jwt-grant), traced with OpenTelemetry through `otel()` from
// @rc/otel: each span is printed by the SDK's console exporter as it ends, and at the end the whole
// trace is drawn as a tree, with the metrics. Spans are named by RingCentral's operation
// (`GET /restapi/v1.0/account/{accountId}/extension/{extensionId}`), never by a path full of ids, and
// hold no secret. See README.md for what each span means.
import { pathToFileURL } from 'node:url';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { jwtGrant } from '@rc/auth-jwt';
import { createClient, isRcError } from '@rc/core';
import { otel } from '@rc/otel';
import { startMockServer } from '@rc/testing';
import { drawTree, startTelemetry } from './telemetry.js';

const EXTENSION = '/restapi/v1.0/account/~/extension/~';

export async function main(say: (line: string) => void = console.log, print?: SpanExporter) {
  const telemetry = startTelemetry(print);
  const mock = await startMockServer({ latencyMs: { min: 5, max: 20 } });
  try {
    say(`Tracing the JWT demo against the embedded mock server at ${mock.url}.`);
    // Normally the SDK is registered globally (NodeSDK.start()) and `otel()` needs no options.
    const rc = createClient({
      server: mock.url,
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      grant: jwtGrant({ jwt: mock.jwt }),
      plugins: [otel({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider })],
    });
    const tracer = telemetry.tracerProvider.getTracer('example-tracing');
    await tracer.startActiveSpan('demo', async (root) => {
      try {
        say(
          '1. Three calls at once: one JWT login (rc.token.login), the other two wait for it (rc.token.wait).',
        );
        await Promise.all([
          rc.get(EXTENSION).json(),
          rc.get('/restapi/v1.0/account/~').json(),
          rc.get(EXTENSION).json(),
        ]);
        say(
          '2. The server invalidates every access token: a 401, one refresh (rc.token.refresh), the re-send.',
        );
        mock.invalidateAccessTokens();
        await rc.get(EXTENSION).json();
        say(
          '3. A 429 for the Light group: ky re-sends after Retry-After; a call made meanwhile is held (an event).',
        );
        mock.failNext({
          path: EXTENSION,
          status: 429,
          headers: { 'Retry-After': '1', 'X-Rate-Limit-Group': 'Light' },
        });
        let held: Promise<unknown> | undefined;
        const off = rc.on('rateLimited', () => {
          held = rc.get(EXTENSION).json();
        });
        await rc.get(EXTENSION).json();
        await held;
        off();
        say(
          '4. A batch of 40 presences: two requests (30 ids at most each), one span each, no id in the name.',
        );
        const ids = Array.from({ length: 40 }, (_, i) => 2000 + i);
        await rc.batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', ids);
        say('5. Sign out (rc.token.revoke).');
        await rc.revoke();
      } finally {
        root.end();
      }
    });
    say('The trace:');
    for (const line of drawTree(telemetry.spans())) say(`  ${line}`);
    say('The metrics:');
    for (const line of await telemetry.metricLines()) say(`  ${line}`);
    say('Done.');
    return telemetry.spans();
  } catch (error) {
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  } finally {
    await telemetry.shutdown();
    await mock.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(() => {
    process.exitCode = 1;
  });
}
