// Issue 18 (new user's trial): an option given as `undefined` is an option not given, at run time
// as in the types (exactOptionalPropertyTypes).
import { undiciFetch } from '@rc/transport-undici';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';

describe('undiciFetch(): undefined means not given', () => {
  it('pool options given as undefined next to a dispatcher are no conflict', async () => {
    const agent = new Agent();
    const f = undiciFetch({
      dispatcher: agent,
      connections: undefined,
      pipelining: undefined,
      keepAliveTimeoutMs: undefined,
    });
    await f.close();
    await agent.close();
    const own = undiciFetch({ dispatcher: undefined, connections: undefined });
    await own.close();
    expect(typeof own).toBe('function');
  });
});
