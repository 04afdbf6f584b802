import { ConfigError, type TokenSet } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { describe, expect, it, vi } from 'vitest';
import { client, EXT, loggedIn, mockServer } from './fixtures.js';

describe('token reuse', () => {
  it('a token saved by one client works in another with no token request', async () => {
    const server = await mockServer();
    const a = await loggedIn(server);
    const saved = JSON.parse(JSON.stringify(await a.getToken())) as TokenSet;
    server.resetStats();
    const b = client(server);
    await b.setToken(saved);
    await expect(b.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
    expect(server.stats.byEndpoint['POST /restapi/oauth/token'] ?? 0).toBe(0);
  });

  it('accepts a raw OAuth token response (expires_in, refresh_token_expires_in)', async () => {
    const server = await mockServer();
    const raw = server.issueToken({ accessTokenTtl: 1800 });
    const rc = client(server);
    const t = await rc.setToken(raw);
    expect(t.accessToken).toBe(raw.access_token);
    expect(t.refreshToken).toBe(raw.refresh_token);
    expect(t.expiresAt - Date.now()).toBeGreaterThan(1790_000);
    expect(t.refreshTokenExpiresAt! - Date.now()).toBeGreaterThan(
      raw.refresh_token_expires_in * 1000 - 10_000,
    );
    expect(t).toMatchObject({
      ownerId: raw.owner_id,
      endpointId: raw.endpoint_id,
      scope: raw.scope,
      tokenType: 'bearer',
    });
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('accepts another library’s token with expires_at as a Date or as epoch seconds', async () => {
    const server = await mockServer();
    const raw = server.issueToken();
    const rc = client(server);
    const inAnHour = Date.now() + 3600_000;
    const fromDate = await rc.setToken({
      access_token: raw.access_token,
      refresh_token: raw.refresh_token,
      expires_at: new Date(inAnHour),
    });
    expect(fromDate.expiresAt).toBe(inAnHour);
    const seconds = Math.floor(inAnHour / 1000);
    const fromSeconds = await rc.setToken({
      access_token: raw.access_token,
      token_type: 'Bearer',
      expires_at: seconds,
    });
    expect(fromSeconds.expiresAt).toBe(seconds * 1000);
    await expect(rc.get(EXT).json()).resolves.toMatchObject({ name: 'Mock User' });
  });

  it('refuses what is not a token, without echoing it', async () => {
    const server = await mockServer();
    const rc = client(server);
    for (const bad of [
      null,
      'a-secret-string-token',
      { access_token: 'secret-token-value-1' },
      { accessToken: 1 },
    ]) {
      const err = await rc.setToken(bad as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(String(err)).not.toContain('secret');
    }
  });

  it("emits 'token' after every new or refreshed token, with the session key", async () => {
    const server = await mockServer();
    const rc = client(server);
    const listener = vi.fn();
    const off = rc.on('token', listener);
    const raw = server.issueToken();
    await rc.setToken(raw);
    await rc.refresh();
    await rc.session('alice').setToken(server.issueToken());
    expect(listener).toHaveBeenCalledTimes(3);
    expect(listener.mock.calls[0]![1]).toBe('default');
    expect(listener.mock.calls[1]![0].accessToken).not.toBe(raw.access_token);
    expect(listener.mock.calls[2]![1]).toBe('alice');
    off();
    await rc.refresh();
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('refresh() rotates the token; the old access token stops working', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const before = (await rc.getToken())!;
    const after = await rc.refresh();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const res = await fetch(`${server.url}${EXT}`, {
      headers: { authorization: `Bearer ${before.accessToken}` },
    });
    expect(res.status).toBe(401);
    const [a, b] = await Promise.all([rc.refresh(), rc.refresh()]);
    expect(a.accessToken).toBe(b.accessToken); // concurrent refresh() calls share one refresh
    // A new client on the same store refreshes the stored token (it does not just read it back).
    const store = memoryStore();
    const c1 = client(server, { store });
    await c1.setToken(server.issueToken());
    const c2 = client(server, { store });
    server.resetStats();
    const refreshed = await c2.refresh();
    expect(server.stats.byGrant).toEqual({ refresh_token: 1 });
    expect((await store.get('default'))?.accessToken).toBe(refreshed.accessToken);
  });

  it('revoke() sends one request, ends the session at the server and deletes the stored token', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const token = (await rc.getToken())!;
    server.resetStats();
    await rc.revoke();
    expect(server.stats.revokes).toBe(1);
    expect(server.stats.requests).toBe(1);
    expect(await rc.getToken()).toBeUndefined();
    const res = await fetch(`${server.url}${EXT}`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(res.status).toBe(401);
    await expect(rc.get(EXT)).rejects.toMatchObject({ code: 'RC_AUTH_REQUIRED' });
  });

  it('revoke() signs out locally even when the server call fails, and says so', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ path: '/restapi/oauth/revoke', status: 503 });
    await expect(rc.revoke()).rejects.toMatchObject({ name: 'OAuthError', status: 503 });
    expect(await rc.getToken()).toBeUndefined();
  });

  it('session(key) shares the pipeline with another token key', async () => {
    const server = await mockServer({
      users: [
        { id: '101', username: '+16505550100', extension: '101', password: 'pw-alice-123', name: 'Alice' },
        { id: '102', username: '+16505550100', extension: '102', password: 'pw-bob-1234', name: 'Bob' },
      ],
    });
    const seen: string[] = [];
    const rc = client(server, {
      plugins: [{ name: 'spy', hooks: { beforeRequest: [({ request: r }) => void seen.push(r.method)] } }],
    });
    const alice = rc.session('alice');
    const bob = rc.session('bob');
    expect(rc.session('alice')).toBe(alice);
    await alice.setToken(server.issueToken({ userId: '101' }));
    await bob.setToken(server.issueToken({ userId: '102' }));
    const [a, b] = await Promise.all([
      alice.get(EXT).json<{ name: string }>(),
      bob.get(EXT).json<{ name: string }>(),
    ]);
    expect([a.name, b.name]).toEqual(['Alice', 'Bob']);
    expect(seen).toEqual(['GET', 'GET']);
    expect(await rc.getToken()).toBeUndefined(); // the default session is untouched
    expect(alice.sessionKey).toBe('alice');
    expect(() => rc.session('')).toThrow(ConfigError);
  });

  it('keeps at most 1000 sessions in memory (least recently used out, never the default); revoke drops one', async () => {
    const server = await mockServer();
    const rc = client(server);
    const first = rc.session('user-0');
    const kept = rc.session('user-1');
    for (let i = 2; i <= 1000; i++) {
      rc.session(`user-${i}`);
      if (i === 500) rc.session('user-1'); // used recently: stays
    }
    expect(rc.session('user-1')).toBe(kept);
    expect(rc.session('user-0')).not.toBe(first); // evicted, built again on demand
    const bob = rc.session('bob');
    await bob.setToken(server.issueToken());
    await bob.revoke();
    expect(rc.session('bob')).not.toBe(bob);
  });
});
