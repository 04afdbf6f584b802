// What you need: Node.js 20. With no variables it runs against an embedded mock RingCentral server.
// For real RingCentral set RC_SERVER_URL (https://platform.devtest.ringcentral.com for the sandbox),
// RC_CLIENT_ID, RC_CLIENT_SECRET, RC_USERNAME, RC_EXTENSION (optional) and RC_PASSWORD.
//
// It logs in with the password grant, calls the API, shows a refresh, saves the token, and loads it
// into a second client that calls the API without any token request. It never prints a secret.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { passwordGrant } from '@rc/auth-password';
import { createClient, isRcError, type TokenSet } from '@rc/core';
import { demoTarget } from '@rc/testing';

interface Extension {
  id: number;
  name: string;
  extensionNumber: string;
}

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
  const target = await demoTarget(env);
  const dir = await mkdtemp(join(tmpdir(), 'rc-demo-'));
  try {
    say(
      target.kind === 'mock'
        ? `No RingCentral credentials given: using the embedded mock server at ${target.server}.`
        : `Using RingCentral at ${target.server}.`,
    );

    // Each client gets a fetch that counts its token requests.
    const clientWith = (counting: ReturnType<typeof countingFetch>) =>
      createClient({
        server: target.server,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
        fetch: counting.fetch,
      });

    // 1. Log in with the password grant, asking for a 10-minute access token.
    const first = countingFetch();
    const rc = clientWith(first);
    rc.on('token', (token, session) =>
      say(`  (event) new token for session "${session}", valid for ${minutes(token.expiresAt - Date.now())}`),
    );
    const grant = passwordGrant({
      username: target.username,
      password: target.password,
      ...(target.extension ? { extension: target.extension } : {}),
    });
    say(`1. Logging in as ${target.username}${target.extension ? ` (extension ${target.extension})` : ''}…`);
    await rc.authorize(grant, { accessTokenTtl: 600 });

    // 2. Call the API.
    const me = await rc.get('/restapi/v1.0/account/~/extension/~').json<Extension>();
    say(`2. Called the API: logged in as ${me.name}, extension ${me.extensionNumber}.`);

    // 3. A refresh: on the mock, the server kills every access token and the client notices the 401,
    // refreshes once and retries; on RingCentral, we ask for a refresh explicitly.
    const before = await rc.getToken();
    if (target.invalidateAccessTokens) {
      say('3. The server now invalidates every access token; the next call gets a 401…');
      target.invalidateAccessTokens();
      await rc.get('/restapi/v1.0/account/~/extension/~').json<Extension>();
      say('   …the client refreshed the token by itself and retried: the call succeeded.');
    } else {
      say('3. Refreshing the token now…');
      await rc.refresh();
    }
    const after = await rc.getToken();
    say(`   The access token changed: ${before?.accessToken !== after?.accessToken ? 'yes' : 'no'}.`);
    say(`   Token requests so far: ${first.counter.tokenRequests} (one login, one refresh).`);

    // 4. Save the token (a plain JSON object) — here to a private temp file.
    const file = join(dir, 'token.json');
    await writeFile(file, JSON.stringify(after), { mode: 0o600 });
    say('4. Saved the token to a private file (its contents are secret and not shown).');

    // 5. A second client, e.g. another process, loads it and calls the API with no token request.
    const second = countingFetch();
    const rc2 = clientWith(second);
    await rc2.setToken(JSON.parse(await readFile(file, 'utf8')) as TokenSet);
    const again = await rc2.get('/restapi/v1.0/account/~/extension/~').json<Extension>();
    say(`5. A second client loaded the saved token and called the API as ${again.name}.`);
    say(`   Token requests made by the second client: ${second.counter.tokenRequests}.`);
    say('Done.');
  } catch (error) {
    // RcError messages never hold a secret, so they are safe to print.
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(() => {
    process.exitCode = 1;
  });
}
