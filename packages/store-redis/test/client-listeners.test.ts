import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteNamespace,
  mockClient,
  EXTENSION_PATH as PATH,
  passwordLogin,
  randomNamespace,
  redisUrl,
  sleep,
  storeOpener,
} from './helpers.js';

// What the client's 'token' listeners may do with the store: the event comes after the refresh
// lock is released, so a listener's own writes to the session (however late) are ordinary writes,
// on Redis as on any store — not writes of a lock holder whose lock is gone.

let server: MockServer;
const namespace = randomNamespace('client-listeners');
const stores = storeOpener(() => ({ url: redisUrl(), namespace }));

beforeAll(async () => {
  server = await startMockServer();
});
afterEach(async () => {
  await stores.closeAll();
});
afterAll(async () => {
  await deleteNamespace(namespace, 'single');
  await server?.close();
});

describe("a 'token' listener that writes to the session", () => {
  it('may store the token again a little later (setToken from the listener is not refused)', async () => {
    const rc = mockClient(server, stores.open(), { grant: passwordLogin(server) });
    let outcome: Promise<unknown> | undefined;
    rc.on('token', (token) => {
      outcome ??= sleep(20).then(() => rc.setToken({ ...token, scope: 'ReadAccounts' }));
    });
    await rc.get(PATH).json();
    await expect(outcome).resolves.toMatchObject({ scope: 'ReadAccounts' });
    expect(await rc.getToken()).toMatchObject({ scope: 'ReadAccounts' });
  });
});
