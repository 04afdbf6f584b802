// What you need: Node.js 22 or later and the @rc packages from npm (`npm install @rc/core
// @rc/auth-jwt @rc/store-memory @rc/testing`). The tarball-install test copies this file into an
// empty project outside the workspace, installs the packed tarballs there, type-checks it (strict,
// exactOptionalPropertyTypes, NodeNext and bundler resolution) and runs it.
//
// Written from the READMEs only: a JWT login against @rc/testing's mock, an API call, the token
// reused by a second client, a refresh, a revoke. It prints one JSON line of what it saw.
import { jwtGrant } from '@rc/auth-jwt';
import { AuthRequiredError, createClient, isRcError, SERVER_SANDBOX, type TokenSet } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { startMockServer } from '@rc/testing';

interface Extension {
  name: string;
  extensionNumber: string;
}
const EXTENSION = '/restapi/v1.0/account/~/extension/~';

// The README's lead: `clientSecret` takes `string | undefined` (confidential only when it is set).
const fromEnv = createClient({
  server: SERVER_SANDBOX,
  clientId: 'my-client-id',
  clientSecret: process.env.RC_CLIENT_SECRET,
});

const mock = await startMockServer();
try {
  const events: string[] = [];
  const rc = createClient({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    // exactOptionalPropertyTypes: `string | undefined` is accepted where undefined means "not given".
    redirectUri: process.env.RC_REDIRECT_URI,
    store: memoryStore({ namespace: 'tarball-install' }),
  });
  const off = rc.on('token', (token: TokenSet, sessionKey: string) => {
    events.push(`${sessionKey}:${token.expiresAt > Date.now() ? 'valid' : 'expired'}`);
  });

  // 1. JWT login, then an API call.
  await rc.authorize(jwtGrant({ jwt: mock.jwt }), { accessTokenTtl: 600 });
  const me = await rc.get(EXTENSION).json<Extension>();

  // 2. Token reuse: a second client (another process, say) gets the token as JSON and logs in no more.
  const saved = JSON.stringify(await rc.getToken());
  const other = createClient({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await other.setToken(JSON.parse(saved));
  const loginsBefore = mock.stats.byGrant['urn:ietf:params:oauth:grant-type:jwt-bearer'] ?? 0;
  const meAgain = await other.get(EXTENSION).json<Extension>();

  // 3. Refresh: a new access token, and the API answers with it.
  const before = await rc.getToken();
  const after = await rc.refresh();
  const meRefreshed = await rc.get(EXTENSION).json<Extension>();

  // 4. Revoke: the session ends; with no unattended grant, the next call needs a login.
  await rc.revoke();
  let afterRevoke = 'no error';
  try {
    await rc.get(EXTENSION).json();
  } catch (error) {
    afterRevoke = error instanceof AuthRequiredError && isRcError(error) ? error.code : String(error);
  }
  off();

  console.log(
    JSON.stringify({
      name: me.name,
      extensionNumber: me.extensionNumber,
      reusedName: meAgain.name,
      jwtLogins: mock.stats.byGrant['urn:ietf:params:oauth:grant-type:jwt-bearer'] ?? 0,
      loginsBySecondClient:
        (mock.stats.byGrant['urn:ietf:params:oauth:grant-type:jwt-bearer'] ?? 0) - loginsBefore,
      refreshes: mock.stats.byGrant.refresh_token ?? 0,
      refreshedTokenChanged: before?.accessToken !== after.accessToken,
      refreshedName: meRefreshed.name,
      revokes: mock.stats.revokes,
      storedAfterRevoke: (await rc.getToken()) !== undefined,
      afterRevoke,
      events,
      envClientConfidential: fromEnv.info.confidential,
    }),
  );
} finally {
  await mock.close();
}
