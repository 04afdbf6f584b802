import { isRcError } from '@rc/core';
import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keysOf,
  mockClient,
  EXTENSION_PATH as PATH,
  sleep,
  timed,
  token,
  useSharedRedis,
} from './helpers.js';

// The lease, end to end: a client refreshing under a Redis lock that is lost mid-refresh stops its
// token request at once (lease.signal) and stores nothing (the lease's writes are refused), so the
// process that took the lock over keeps its token.

const shared = useSharedRedis('client-lease');
const { namespace, open } = shared;
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server?.close();
});

describe('a client whose lock is lost mid-refresh', () => {
  it('stops the token request when the lease ends, and overwrites nothing', async () => {
    const store = open({ lockTtlMs: 600 }); // a heartbeat every 200 ms
    const rc = mockClient(server, store, { tokenTimeoutMs: 5_000, retry: 0 });
    const key = rc.sessionKey;
    await rc.setToken({ ...server.issueToken(), expires_in: 1 });
    await sleep(1_100); // the access token has expired: the next request refreshes
    server.failNext({ path: '/restapi/oauth/token', status: 200, hang: true });
    const request = timed(rc.get(PATH));
    await sleep(300); // the refresh holds the lock and waits for the hung endpoint
    // Another process takes the lock over (ours expired, say) and stores its token.
    const newer = token();
    await shared.raw.set(keysOf(namespace, key).lock, 'other-process', { PX: 10_000 });
    await shared.raw.del(keysOf(namespace, key).token);
    const other = open();
    await other.set(key, newer);
    const { ms, error } = await request;
    expect(isRcError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'RC_STORE', message: /^Lock lost/ });
    expect(ms).toBeLessThan(1_500); // the next heartbeat, not tokenTimeoutMs (5 s)
    expect(await store.get(key)).toEqual(newer);
    await shared.raw.del(keysOf(namespace, key).lock);
  });
});
