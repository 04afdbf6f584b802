// Issue 18, a new user's trial: RingCentral serves recordings, fax and voicemail content from its
// media server (media.ringcentral.com, another origin than platform.ringcentral.com), and the
// token-stays-home rule refused those downloads (`ConfigError … not on https://platform…`). The token
// now goes to the configured server and to the media server for it (known pairs built in,
// `mediaServers` for others), and nowhere else.
import { ConfigError, createClient, SERVER_PRODUCTION, SERVER_SANDBOX } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { client, loopbackServer, mockServer } from './fixtures.js';

const CONTENT = '/restapi/v1.0/account/~/extension/~/message-store/8000000001/content/800000000101';

/** A client on `server` whose transport records where requests go and with which token. */
function recording(server: string, mediaServers?: string[]) {
  const sent: { url: string; authorization: string | null }[] = [];
  const rc = createClient({
    server,
    clientId: 'id',
    retry: 0,
    ...(mediaServers ? { mediaServers } : {}),
    fetch: async (input, init) => {
      const req = new Request(input, init);
      sent.push({ url: req.url, authorization: req.headers.get('authorization') });
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    },
  });
  return { rc, sent };
}

/** `send` is refused with ConfigError (thrown at the call, or rejected: either way nothing is sent). */
const refusal = async (send: () => Promise<unknown>) => {
  const error = await Promise.resolve()
    .then(send)
    .then(
      () => expect.fail('expected a refusal'),
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ConfigError);
};

describe("the token goes to RingCentral's media server for the configured server", () => {
  it.each([
    [SERVER_PRODUCTION, 'https://media.ringcentral.com', 'https://media.devtest.ringcentral.com'],
    [SERVER_SANDBOX, 'https://media.devtest.ringcentral.com', 'https://media.ringcentral.com'],
  ])('%s: built in (%s), and not the other pair', async (server, media, other) => {
    const { rc, sent } = recording(server);
    await rc.setToken({ access_token: 'token-for-media', expires_in: 3600 });
    await rc.get(`${media}${CONTENT}`).text();
    await rc.http.get(new URL(`${media}${CONTENT}`)).text();
    expect(sent).toEqual([
      { url: `${media}${CONTENT}`, authorization: 'Bearer token-for-media' },
      { url: `${media}${CONTENT}`, authorization: 'Bearer token-for-media' },
    ]);
    await refusal(() => rc.get(`${other}${CONTENT}`).text());
    await refusal(() => rc.get(`${media}.evil.test${CONTENT}`).text());
    await refusal(() => rc.get(`https://evil.test${CONTENT}`).text());
    expect(sent).toHaveLength(2);
  });

  it('mediaServers adds one (a second loopback origin serving content); a third origin still gets nothing', async () => {
    const api = await mockServer();
    const media = await loopbackServer(
      () => ({ status: 200, headers: { 'content-type': 'audio/mpeg' }, body: 'ID3-bytes' }),
      '127.0.0.2',
    );
    const third = await loopbackServer(undefined, '127.0.0.3');
    const rc = client(api, { retry: 0, mediaServers: [media.url] });
    const token = api.issueToken();
    await rc.setToken(token);
    await expect(rc.get(`${media.url}${CONTENT}`).text()).resolves.toBe('ID3-bytes');
    expect(media.received).toHaveLength(1);
    expect(media.received[0]?.headers.authorization).toBe(`Bearer ${token.access_token}`);
    await refusal(() => rc.get(`${third.url}${CONTENT}`).text());
    expect(third.received).toEqual([]);
    // The API server still works as before.
    await expect(rc.get('/restapi/v1.0/account/~/extension/~').json()).resolves.toMatchObject({ id: 101 });
  });

  it.each([
    ['not an array', 'https://media.example.com'],
    ['not a URL', ['media.example.com']],
    ['a path', ['https://media.example.com/content']],
    ['credentials', ['https://user:pw@media.example.com']],
    ['plain http off loopback', ['http://media.example.com']],
  ])('mediaServers with %s: ConfigError at construction', (_, mediaServers) => {
    let caught: unknown;
    try {
      createClient({ server: SERVER_PRODUCTION, clientId: 'id', mediaServers: mediaServers as never });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).option).toBe('mediaServers');
  });
});
