// What you need: Node.js 20. Runs on an embedded mock RingCentral server.
//
// Three ways to reuse a token instead of logging in again:
// 1. save the TokenSet of one client (it is plain JSON) and load it into another;
// 2. hand in a raw OAuth token response obtained by any other means (curl, another SDK);
// 3. hand in another library's token object with `expires_at` (a Date, or epoch seconds as in
//    openid-client) — and let clients share one store, so a refresh by one is seen by the other.
import { pathToFileURL } from 'node:url';
import { createClient, type TokenSet } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { startMockServer } from '@rc/testing';
import Keyv from 'keyv';

const EXT = '/restapi/v1.0/account/~/extension/~';

export async function main(say: (line: string) => void = console.log): Promise<{ tokenRequests: number }> {
  const server = await startMockServer();
  const options = { server: server.url, clientId: server.clientId, clientSecret: server.clientSecret };
  try {
    // 1. A saved TokenSet.
    const a = createClient(options);
    await a.setToken(server.issueToken());
    const saved = JSON.stringify(await a.getToken()); // store it anywhere: a file, a database, a secret manager
    const b = createClient(options);
    await b.setToken(JSON.parse(saved) as TokenSet);
    const me = await b.get(EXT).json<{ name: string }>();
    say(`1. A second client loaded a saved TokenSet and called the API as ${me.name}.`);

    // 2. A raw OAuth token response, as the token endpoint returns it.
    const raw = server.issueToken(); // { access_token, expires_in, refresh_token, refresh_token_expires_in, ... }
    const c = createClient(options);
    const fromRaw = await c.setToken(raw);
    say(
      `2. A raw token response became a TokenSet expiring in ${Math.round((fromRaw.expiresAt - Date.now()) / 60_000)} min.`,
    );
    await c.get(EXT);

    // 3. Another library's token (expires_at in epoch seconds), shared by two clients through one store.
    const other = server.issueToken();
    const foreign = {
      access_token: other.access_token,
      refresh_token: other.refresh_token,
      token_type: 'Bearer',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    };
    const shared = new Keyv(); // one keyv (here in memory; any keyv adapter works)
    const d = createClient({ ...options, store: memoryStore({ keyv: shared }) });
    const e = createClient({ ...options, store: memoryStore({ keyv: shared }) });
    await d.setToken(foreign);
    await e.get(EXT); // e reads the token d stored
    await d.refresh(); // d refreshes: e's in-memory token is now dead at the server…
    server.resetStats();
    await e.get(EXT); // …e gets a 401, re-reads the store, finds d's new token, retries: no refresh of its own
    const tokenRequests = server.stats.byEndpoint['POST /restapi/oauth/token'] ?? 0;
    say(
      `3. Two clients sharing one store: after one refreshed, the other caught up with ${tokenRequests} token requests.`,
    );
    return { tokenRequests };
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
