import {
  AuthRequiredError,
  createClient,
  OAuthError,
  StoreError,
  type TokenSet,
  type TokenStore,
} from '@rc/core';
import { describe, expect, it, vi } from 'vitest';
import { client, EXT, fakeClock, loggedIn, mockServer, testLock, userGrant } from './fixtures.js';

/** A store that counts calls, over a Map, with a promise-chain lock. */
function countingStore() {
  const map = new Map<string, TokenSet>();
  const calls = { get: 0, set: 0, delete: 0, lock: 0 };
  const store: TokenStore = {
    async get(k) {
      calls.get++;
      return map.get(k);
    },
    async set(k, t) {
      calls.set++;
      map.set(k, t);
    },
    async delete(k) {
      calls.delete++;
      map.delete(k);
    },
    withLock(k, fn) {
      calls.lock++;
      return lock(k, fn);
    },
  };
  const lock = testLock(store);
  return { store, map, calls };
}

describe('token manager: refresh', () => {
  it('refreshes proactively at expiresAt - refreshSkewMs, once', async () => {
    const clock = fakeClock();
    const server = await mockServer({ now: clock.now });
    const rc = await loggedIn(server, { now: clock.now, refreshSkewMs: 60_000 });
    const first = await rc.getToken();
    clock.advance(3600_000 - 61_000);
    await rc.get(EXT);
    expect(server.stats.byGrant.refresh_token ?? 0).toBe(0);
    clock.advance(2_000); // now inside the skew window
    await Promise.all([rc.get(EXT), rc.get(EXT), rc.get(EXT)]);
    expect(server.stats.byGrant.refresh_token).toBe(1);
    expect((await rc.getToken())?.accessToken).not.toBe(first?.accessToken);
  });

  it('keeps the skew at most half the token lifetime', async () => {
    const clock = fakeClock();
    const server = await mockServer({ now: clock.now, accessTokenTtl: 60 });
    const rc = await loggedIn(server, { now: clock.now, refreshSkewMs: 60_000 });
    await rc.get(EXT);
    expect(server.stats.byGrant.refresh_token ?? 0).toBe(0); // a 60 s token is not refreshed at once
    clock.advance(31_000);
    await rc.get(EXT);
    expect(server.stats.byGrant.refresh_token).toBe(1);
  });

  it('on 401 re-reads the store and uses a newer token written by another process, without refreshing', async () => {
    const server = await mockServer();
    const { store, calls } = countingStore();
    const a = await loggedIn(server, { store });
    const b = client(server, { store });
    await b.get(EXT); // b loads a's token from the store
    await a.refresh(); // "another process" refreshes: b's token is now dead
    server.resetStats();
    const getsBefore = calls.get;
    await b.get(EXT);
    expect(server.stats.byGrant.refresh_token ?? 0).toBe(0);
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(2); // the 401, then the retry
    expect(calls.get).toBeGreaterThan(getsBefore);
  });

  it('on 401 with nothing newer in the store, refreshes once and retries once', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.invalidateAccessTokens();
    server.resetStats();
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
    expect(server.stats.byEndpoint[`GET ${EXT}`]).toBe(2);
  });

  it('a second 401 is not retried again: it surfaces as ApiError 401', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ path: EXT, status: 401, times: 2 });
    await expect(rc.get(EXT)).rejects.toMatchObject({ name: 'ApiError', status: 401 });
    expect(server.stats.byGrant.refresh_token).toBe(1);
  });

  it('reads the store once at start and never on a request whose token is valid', async () => {
    const server = await mockServer();
    const { store, calls } = countingStore();
    const a = await loggedIn(server, { store });
    const b = client(server, { store });
    calls.get = 0;
    for (let i = 0; i < 20; i++) await b.get(EXT);
    await a.get(EXT);
    expect(calls.get).toBe(1);
    expect(calls.lock).toBe(1); // a's login only
  });

  it('invalid_grant on refresh re-runs the unattended grant', async () => {
    const server = await mockServer();
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      grant: userGrant(server),
    });
    await rc.get(EXT); // first request logs in by itself
    expect(server.stats.byGrant).toEqual({ password: 1 });
    server.invalidateAccessTokens();
    server.invalidateRefreshTokens();
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(server.stats.byGrant).toEqual({ password: 2, refresh_token: 1 });
  });

  it('invalid_grant without an unattended grant clears the token and throws AuthRequiredError (not retried)', async () => {
    const server = await mockServer();
    const { store, map } = countingStore();
    const rc = await loggedIn(server, { store, retry: { limit: 3, delay: () => 0 } });
    const authErrors = vi.fn();
    rc.on('authError', authErrors);
    server.invalidateAccessTokens();
    server.invalidateRefreshTokens();
    server.resetStats();
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthRequiredError);
    expect((err as AuthRequiredError).sessionKey).toBe('default');
    expect(map.size).toBe(0);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 }); // not retried by ky
    expect(authErrors).toHaveBeenCalledTimes(1);
    expect(await rc.getToken()).toBeUndefined();
  });

  it('no token and no grant: AuthRequiredError at once, no request sent', async () => {
    const server = await mockServer();
    const rc = client(server);
    await expect(rc.get(EXT)).rejects.toBeInstanceOf(AuthRequiredError);
    expect(server.stats.requests).toBe(0);
  });

  it('a refresh that fails with a server error is not retried by ky and keeps the token', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server, { retry: { limit: 3, delay: () => 0 } });
    const before = await rc.getToken();
    server.invalidateAccessTokens();
    server.failNext({ path: '/restapi/oauth/token', status: 503 });
    server.resetStats();
    await expect(rc.get(EXT)).rejects.toBeInstanceOf(OAuthError);
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
    expect((await rc.getToken())?.refreshToken).toBe(before?.refreshToken);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' }); // next try refreshes fine
  });

  it('a failing store surfaces as StoreError and is not read as "no token"', async () => {
    const server = await mockServer();
    const broken: TokenStore = {
      get: async () => {
        throw new Error('ECONNREFUSED');
      },
      set: async () => {},
      delete: async () => {},
      withLock: (k, fn) => testLock(broken)(k, fn),
    };
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      store: broken,
      grant: userGrant(server),
      retry: { limit: 2, delay: () => 0 },
    });
    const reported = vi.fn();
    rc.on('authError', reported);
    const err = await rc.get(EXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(reported).toHaveBeenCalledWith(err, 'default');
    expect(server.stats.requests).toBe(0); // no login triggered by a failed read
  });

  it('sends the authorize() ttl options again with each refresh', async () => {
    const server = await mockServer();
    const bodies: string[] = [];
    const rc = client(server, {
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (req.url.endsWith('/oauth/token')) bodies.push(await req.clone().text());
        return fetch(req);
      },
    });
    await rc.authorize(userGrant(server), { accessTokenTtl: 900, refreshTokenTtl: 7200, endpointId: 'ep-1' });
    await rc.refresh();
    expect(bodies[0]).toMatch(/access_token_ttl=900/);
    expect(bodies[0]).toMatch(/refresh_token_ttl=7200/);
    expect(bodies[0]).toMatch(/endpoint_id=ep-1/);
    expect(bodies[1]).toMatch(/grant_type=refresh_token/);
    expect(bodies[1]).toMatch(/access_token_ttl=900/);
    expect(bodies[1]).toMatch(/refresh_token_ttl=7200/);
    const t = await rc.getToken();
    expect(t!.expiresAt - Date.now()).toBeLessThanOrEqual(900_000);
    expect(t!.expiresAt - Date.now()).toBeGreaterThan(890_000);
  });

  it('authorize() checks its options', async () => {
    const server = await mockServer();
    const rc = client(server);
    await expect(rc.authorize(userGrant(server), { accessTokenTtl: -1 })).rejects.toMatchObject({
      option: 'accessTokenTtl',
    });
    await expect(rc.authorize({} as never)).rejects.toMatchObject({ code: 'RC_CONFIG' });
  });

  it('a caller that aborts while the token is being refreshed is released at once; the refresh goes on', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.invalidateAccessTokens();
    server.setLatency(500);
    const controller = new AbortController();
    const settled: string[] = [];
    rc.on('token', () => settled.push('refreshed'));
    const aborted = rc.get(EXT, { signal: controller.signal }).catch((e: Error) => {
      settled.push('aborted');
      return e;
    });
    const other = rc
      .get(EXT)
      .json()
      .then((me) => {
        settled.push('other');
        return me;
      });
    // The 401 comes back after ~500 ms; the refresh then takes ~500 ms more, and the retry as much.
    setTimeout(() => controller.abort(), 700);
    expect(await aborted).toMatchObject({ name: 'AbortError' });
    await expect(other).resolves.toMatchObject({ name: 'Mock User' });
    expect(settled).toEqual(['aborted', 'refreshed', 'other']); // released without waiting for the refresh
    expect(server.stats.byGrant).toEqual({ password: 1, refresh_token: 1 });
  });
});
