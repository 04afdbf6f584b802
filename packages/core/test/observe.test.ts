import type { Observer, Plugin } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { rateLimitedThenHeld } from '../../../test-support/rate-limited.js';
import { client, EXT, mockServer, userGrant } from './fixtures.js';

/** A plugin that records everything core lets it observe. */
function recorder() {
  const seen: string[] = [];
  const wire: Headers[] = [];
  const observe: Observer = {
    async send(info, run) {
      seen.push(
        `send ${info.request.method} ${new URL(info.request.url).pathname}${info.unauthorizedRetry ? ' (401 retry)' : ''}`,
      );
      info.setHeader('x-observed', 'yes');
      info.setHeader('Authorization', 'Bearer not-allowed');
      const response = await run();
      seen.push(`sent ${response.status}`);
      return response;
    },
    async tokenRequest(info, run) {
      seen.push(`token ${info.kind} ${info.grantType ?? '-'}`);
      try {
        const result = await run();
        seen.push(`token ${info.kind} ${result.status}`);
        return result;
      } catch (error) {
        seen.push(`token ${info.kind} failed ${(error as { code?: string }).code}`);
        throw error;
      }
    },
    async tokenWait(info, run) {
      seen.push(`wait ${info.reason} ${info.sessionKey}`);
      return run();
    },
    rateLimitWait(info) {
      seen.push(
        `rate-limit ${info.group} ${info.outcome} ${info.waitedMs >= 900 ? '≥900ms' : `${info.waitedMs}ms`}`,
      );
    },
  };
  const plugin: Plugin = { name: 'recorder', observe };
  return { plugin, seen, wire };
}

describe('Plugin.observe: what core tells a plugin of its own work', () => {
  it('sends (the 401 re-send marked), token requests with kind and status, waits for a token', async () => {
    const server = await mockServer();
    const { plugin, seen } = recorder();
    const headers: (string | null)[][] = [];
    const rc = client(server, {
      grant: userGrant(server),
      plugins: [plugin],
      fetch: (input, init) => {
        const h = new Headers(init?.headers);
        headers.push([h.get('x-observed'), h.get('authorization')?.slice(0, 7) ?? null]);
        return fetch(input, init);
      },
    });
    await rc.get(EXT).json();
    server.invalidateAccessTokens();
    await rc.get(EXT).json();
    await rc.revoke();
    expect(seen).toEqual([
      // The request waits for the login it started; the login first waits for the store's lock.
      'wait inflight default',
      'wait lock default',
      'token login password',
      'token login 200',
      `send GET ${EXT}`,
      'sent 200',
      `send GET ${EXT}`,
      'sent 401',
      'wait lock default',
      'token refresh refresh_token',
      'token refresh 200',
      `send GET ${EXT} (401 retry)`,
      'sent 200',
      // revoke() runs inside the store's lock too (the lease: its delete is fenced).
      'wait lock default',
      'token revoke -',
      'token revoke 200',
    ]);
    // The header an observer adds reaches the wire; it cannot replace the token.
    const api = headers.filter(([observed]) => observed !== null);
    expect(api).toEqual([
      ['yes', 'Bearer '],
      ['yes', 'Bearer '],
      ['yes', 'Bearer '],
    ]);
    expect(JSON.stringify(headers)).not.toContain('not-allowed');
  });

  it('a failed token request is observed as failed; observers never get the token', async () => {
    const server = await mockServer();
    const { plugin, seen } = recorder();
    const rc = client(server, { plugins: [plugin] });
    server.failNext({ path: '/restapi/oauth/token', status: 400, body: { error: 'invalid_grant' } });
    await expect(rc.authorize(userGrant(server))).rejects.toMatchObject({ code: 'RC_OAUTH' });
    expect(seen).toContain('token login failed RC_OAUTH');
  });

  it('a request held by the rate limiter is reported with its group and wait', async () => {
    const server = await mockServer();
    const { plugin, seen } = recorder();
    const rc = client(server, { grant: userGrant(server), plugins: [plugin] });
    await rateLimitedThenHeld(rc, server, EXT);
    expect(seen).toContain('rate-limit Light admitted ≥900ms');
  });

  it('without an observing plugin nothing changes on the wire', async () => {
    const server = await mockServer();
    const headers: Headers[] = [];
    const rc = client(server, {
      grant: userGrant(server),
      fetch: (input, init) => {
        headers.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    await rc.get(EXT).json();
    expect(headers.every((h) => !h.has('x-observed'))).toBe(true);
  });
});
