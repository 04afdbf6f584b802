// The 429 scenario that both core's observer test and the OpenTelemetry plugin's test drive, so the
// two report on the same sequence: a request of `path` answered 429 (Retry-After 1 s, group Light),
// then another request of the group, made once the 429 is in, which the rate limiter holds for the
// penalty. Test-only, imported by path.
import type { RcClient } from '@rc/core';
import type { MockServer } from '@rc/testing';

export async function rateLimitedThenHeld(rc: RcClient, server: MockServer, path: string): Promise<void> {
  await rc.get(path).json();
  server.failNext({ path, status: 429, headers: { 'Retry-After': '1', 'X-Rate-Limit-Group': 'Light' } });
  let held: Promise<unknown> | undefined;
  rc.on('rateLimited', () => {
    held = rc.get(path).json();
  });
  await rc.get(path).json();
  await held;
}
