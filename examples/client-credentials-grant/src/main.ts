// What you need: Node.js 22 or later. Runs on an embedded mock RingCentral server whose app
// "service-app" is enabled for the client-credentials grant (RingCentral enables it per app).
import { pathToFileURL } from 'node:url';
import { createClient, OAuthError } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { clientCredentialsGrant } from './client-credentials.js';

export async function main(say: (line: string) => void = console.log): Promise<{ logins: number }> {
  const mock = await startMockServer({
    clients: [
      { clientId: 'service-app', clientSecret: 'service-secret', clientCredentialsUserId: '101' },
      { clientId: 'other-app', clientSecret: 'other-secret' },
    ],
  });
  try {
    const rc = createClient({
      server: mock.url,
      clientId: 'service-app',
      clientSecret: 'service-secret',
      grant: clientCredentialsGrant(),
    });
    // The grant is unattended: the first request logs in by itself, once for all three.
    const [me] = await Promise.all([
      rc.get('restapi/v1.0/account/~/extension/~').json<{ name: string }>(),
      rc.get('restapi/v1.0/account/~').json(),
      rc.get('restapi/v1.0/account/~/extension/~').json(),
    ]);
    say(`Logged in as the app; acting as ${me.name}.`);

    // An app not enabled for the grant gets an OAuthError from the token endpoint.
    const other = createClient({ server: mock.url, clientId: 'other-app', clientSecret: 'other-secret' });
    try {
      await other.authorize(clientCredentialsGrant());
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      say(`other-app refused: ${error.error} (${error.errorCode})`);
    }
    const logins = mock.stats.byGrant.client_credentials ?? 0;
    say(`client_credentials token requests: ${logins}.`);
    return { logins };
  } finally {
    await mock.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
