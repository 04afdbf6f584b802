// What you need: Node.js 22 or later. With no variables it runs against an embedded mock RingCentral
// server. For real RingCentral set RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT (the JWT credential
// from the developer console), and RC_SERVER_URL for production (default: the sandbox,
// https://platform.devtest.ringcentral.com).
//
// A server app's whole life with one token: the client logs in with the JWT grant on its first
// request, calls the API, refreshes by itself after a 401, hands the token to a second client (as
// another process would load it) that calls the API with no login, and revokes the session at the
// end. It never prints a secret.
import { pathToFileURL } from 'node:url';
import { jwtGrant } from '@rc/auth-jwt';
import '@rc/api'; // RingCentral's API as types: `.json()` below is the extension-info type
import { createClient, isRcError, type TokenSet } from '@rc/core';
import { resolveTarget } from './env.js';

const EXTENSION = 'restapi/v1.0/account/~/extension/~';

/** A fetch that counts calls to the token endpoint, to show when the client asks for a token. */
function countingFetch() {
  const counter = { tokenRequests: 0 };
  const wrapped: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/restapi/oauth/token')) counter.tokenRequests++;
    return fetch(input, init);
  };
  return { counter, fetch: wrapped };
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export async function main(say: (line: string) => void = console.log, env = process.env): Promise<void> {
  const target = await resolveTarget(env);
  try {
    say(
      target.kind === 'mock'
        ? `No RingCentral credentials given: using the embedded mock server at ${target.server}.`
        : `Using RingCentral at ${target.server}.`,
    );
    const first = countingFetch();
    // 1. The JWT grant as the client's unattended grant: it logs in on the first request that needs
    // a token (once, however many requests start together) and again if the refresh token dies.
    const rc = createClient({
      server: target.server,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      grant: jwtGrant({ jwt: target.jwt }),
      fetch: first.fetch,
    });
    rc.on('token', (token, sessionKey) =>
      say(
        `  (event) new token for session "${sessionKey}", valid for ${minutes(token.expiresAt - Date.now())}`,
      ),
    );

    // 2. Call the API: three requests at once make one JWT login.
    say('1. Three API calls at once; the client logs in with the JWT grant first…');
    const [me] = await Promise.all([
      rc.get(EXTENSION).json(),
      rc.get('restapi/v1.0/account/~').json(),
      rc.get(EXTENSION).json(),
    ]);
    say(
      `2. Logged in as ${me.name}, extension ${me.extensionNumber}; token requests: ${first.counter.tokenRequests}.`,
    );

    // 3. A refresh: on the mock the server kills every access token and the client, seeing the 401,
    // refreshes once and retries; on RingCentral we ask for one.
    const before = await rc.getToken();
    if (target.invalidateAccessTokens) {
      say('3. The server invalidates every access token; the next call gets a 401…');
      target.invalidateAccessTokens();
      await rc.get(EXTENSION).json();
      say('   …the client refreshed the token by itself and retried: the call succeeded.');
    } else {
      say('3. Refreshing the token now…');
      await rc.refresh();
    }
    const after = await rc.getToken();
    say(`   The access token changed: ${before?.accessToken !== after?.accessToken ? 'yes' : 'no'}.`);
    say(`   Token requests so far: ${first.counter.tokenRequests} (one JWT login, one refresh).`);

    // 4. Token reuse: the token is a plain JSON object. A second client (another process, say)
    // loads it and calls the API with no login — JWT logins are rate-limited, tokens are reusable.
    const saved = JSON.stringify(after);
    const second = countingFetch();
    const rc2 = createClient({
      server: target.server,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      fetch: second.fetch,
    });
    await rc2.setToken(JSON.parse(saved) as TokenSet);
    const again = await rc2.get(EXTENSION).json();
    say(`4. A second client loaded the saved token and called the API as ${again.name}.`);
    say(`   Token requests made by the second client: ${second.counter.tokenRequests}.`);

    // 5. Sign out: revoking ends the whole RingCentral session, for both clients.
    await rc2.revoke();
    say('5. Revoked the session.');
    say('Done.');
  } catch (error) {
    // RcError messages never hold a secret, so they are safe to print.
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  } finally {
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(() => {
    process.exitCode = 1;
  });
}
