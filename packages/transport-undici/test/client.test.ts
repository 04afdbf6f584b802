import { passwordGrant } from '@rc/auth-password';
import { createClient } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { undiciFetch } from '@rc/transport-undici';
import { expect, it } from 'vitest';

const EXT = '/restapi/v1.0/account/~/extension/~';

it('createClient({ fetch: undiciFetch() }) logs in, calls the API, refreshes once for 50 requests on a dead token, times out', async () => {
  const server = await startMockServer();
  const fetch = undiciFetch({ connections: 8 });
  try {
    const rc = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      fetch,
    });
    await rc.authorize(
      passwordGrant({
        username: server.user.username,
        extension: server.user.extension!,
        password: server.user.password,
      }),
    );
    expect((await rc.get(EXT).json<{ name: string }>()).name).toBe('Mock User');
    const sms = await rc
      .post(`${EXT}/sms`, {
        json: { from: { phoneNumber: '+16505550100' }, to: [{ phoneNumber: '+16505550101' }], text: 'hi' },
      })
      .json<{ subject: string }>();
    expect(sms.subject).toBe('hi');

    server.invalidateAccessTokens();
    server.resetStats();
    const all = await Promise.all(Array.from({ length: 50 }, () => rc.get(EXT).json<{ name: string }>()));
    expect(all.every((me) => me.name === 'Mock User')).toBe(true);
    expect(server.stats.byGrant.refresh_token).toBe(1);

    server.setLatency(300);
    const slow = createClient({
      server: server.url,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      fetch,
      timeout: 50,
      retry: 0,
    });
    await slow.setToken(server.issueToken());
    await expect(slow.get(EXT)).rejects.toMatchObject({ name: 'NetworkError', timeout: true });
  } finally {
    await fetch.close();
    await server.close();
  }
});
