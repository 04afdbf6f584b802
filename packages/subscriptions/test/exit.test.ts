import type { MockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENT, startMock } from './helpers.js';
import { killChildren, startChild } from './processes.js';

// close() leaves no socket, timer or listener behind: a process that subscribes, receives a
// notification and closes must exit by itself, without process.exit().

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterEach(() => killChildren());
afterAll(async () => {
  await mock.close();
});

describe('close()', () => {
  it('leaves no open handle: the process exits by itself', async () => {
    const child = await startChild(mock, { mode: 'exit' });
    await child.waitFor((l) => l.type === 'ready', 10_000, 'the child to subscribe');
    expect(mock.notify(EVENT, { n: 1 })).toBe(1);
    await child.waitFor((l) => l.type === 'closed', 5_000, 'the child to close');
    const closedAt = Date.now();
    const code = await Promise.race([
      child.exited,
      new Promise((r) => setTimeout(() => r('still running'), 5_000)),
    ]);
    expect(code).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    // close() deleted the subscription at the gateway: nothing matches any more.
    expect(mock.notify(EVENT, { n: 2 })).toBe(0);
  });
});
