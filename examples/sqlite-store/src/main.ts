// What you need: Node.js 22.13 or later (for the built-in `node:sqlite`). It runs on an embedded
// mock RingCentral server and a SQLite file in a temporary folder.
//
// Two clients, each with its own connection to one SQLite file — as two processes of a server app
// would be — share one token: fifty requests at once across both make one JWT login, and after the
// server kills the access tokens, one refresh. `sqliteStore` is written in docs/writing-a-store.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jwtGrant } from '@rc/auth-jwt';
import { createClient } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { sqliteStore } from './sqlite-store.js';

const EXTENSION = 'restapi/v1.0/account/~/extension/~';

export async function main(say: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockServer({ latencyMs: { min: 5, max: 20 } });
  const dir = mkdtempSync(join(tmpdir(), 'rc-sqlite-store-'));
  const path = join(dir, 'tokens.db');
  const stores = [sqliteStore({ path }), sqliteStore({ path })];
  try {
    const clients = stores.map((store) =>
      createClient({
        server: mock.url,
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        grant: jwtGrant({ jwt: mock.jwt }),
        store,
      }),
    );
    const callAll = () =>
      Promise.all(Array.from({ length: 50 }, (_, i) => clients[i % 2]!.get(EXTENSION).json()));

    await callAll();
    say(
      `1. 50 requests over two clients sharing ${path}: JWT logins ${mock.stats.byGrant['urn:ietf:params:oauth:grant-type:jwt-bearer']}.`,
    );
    mock.invalidateAccessTokens();
    await callAll();
    say(
      `2. After the server killed the access tokens, 50 more: refreshes ${mock.stats.byGrant.refresh_token}.`,
    );
    await clients[0]!.revoke();
    say('3. Revoked the session; the token is gone from the file.');
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
    await mock.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
