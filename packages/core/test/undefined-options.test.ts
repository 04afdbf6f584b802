// Issue 18 (new user's trial): under exactOptionalPropertyTypes the READMEs promise that `undefined`
// means "not given". The types say so (examples/tarball-install/src/undefined-options.ts); these
// check the run time: each factory given every optional option as `undefined` behaves as without it.
import { authorizeUrl } from '@rc/auth-code';
import {
  concurrency,
  createClient,
  logger,
  messageBody,
  type Plugin,
  type RateLimitInfo,
  rateLimit,
} from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

describe('undefined means not given', () => {
  it('createClient(): every optional option undefined gives a working client', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, {
      grant: undefined,
      store: undefined,
      sessionKey: undefined,
      plugins: undefined,
      refreshSkewMs: undefined,
      allowInsecureHttp: undefined,
      rateLimit: undefined,
      now: undefined,
      tokenTimeoutMs: undefined,
      redirectUri: undefined,
    });
    expect(await rc.get('/restapi/v1.0/account/~/extension/~').json()).toMatchObject({ id: 101 });
    const other = rc.session('other', { grant: undefined });
    expect(other.sessionKey).toBe('other');
    const records: unknown[] = [];
    for await (const r of rc.paginate('/restapi/v1.0/account/~/extension/~/call-log', { onPage: undefined }))
      records.push(r);
    expect(records.length).toBeGreaterThan(0);
    const batch = await rc.batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', [101, 102], {
      chunkSize: undefined,
      maxResponseBytes: undefined,
    });
    expect(batch.map((b) => b.status)).toEqual([200, 200]);
  });

  it('the built-in limiter keeps the client’s clock when rateLimit.now is undefined', async () => {
    const server = await mockServer();
    const seen: RateLimitInfo[] = [];
    // The client's clock runs an hour ahead: a Retry-After as an HTTP date one hour ahead of the
    // real clock is then "now" for the limiter, and the wait is short.
    const ahead = () => Date.now() + 3_600_000;
    const rc = await loggedIn(server, {
      now: ahead,
      rateLimit: { now: undefined, maxWaitMs: 500, onRateLimited: (info) => seen.push(info) },
      retry: 0,
    });
    server.failNext({
      path: '/restapi/v1.0/account/~/extension/~',
      status: 429,
      headers: { 'Retry-After': new Date(Date.now() + 3_600_000).toUTCString() },
    });
    await rc.get('/restapi/v1.0/account/~/extension/~').catch(() => undefined);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]?.retryAfterMs).toBeLessThan(60_000);
  });

  it('plugins, stores, messageBody and authorizeUrl', async () => {
    const plugins: Plugin[] = [
      rateLimit({
        maxWaitMs: undefined,
        defaultRetryAfterMs: undefined,
        onRateLimited: undefined,
        now: undefined,
      }),
      concurrency({ max: 2, maxQueue: undefined }),
      logger({ log: undefined }),
    ];
    expect(plugins.map((p) => p.name)).toHaveLength(3);
    const store = memoryStore({ namespace: undefined, keyv: undefined, now: undefined });
    expect(await store.get('k')).toBeUndefined();
    const form = await messageBody(
      { to: [] },
      [{ content: 'x', fileName: undefined, contentType: undefined }],
      {
        maxStreamBytes: undefined,
      },
    );
    const part = form.get('attachment') as File;
    expect([part.name, part.type]).toEqual(['attachment-1', 'text/plain']);
    const rc = createClient({
      server: 'https://platform.ringcentral.com',
      clientId: 'id',
      redirectUri: 'https://app.example.com/cb',
    });
    const { url } = await authorizeUrl(rc.info, {
      redirectUri: undefined,
      state: undefined,
      display: undefined,
      prompt: undefined,
      brandId: undefined,
      uiLocales: undefined,
      loginHint: undefined,
      pkce: undefined,
    });
    expect(new URL(url).searchParams.get('redirect_uri')).toBe('https://app.example.com/cb');
  });
});
