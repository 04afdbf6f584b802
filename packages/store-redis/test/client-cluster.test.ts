import type { RcClient } from '@rc/core';
import { type MockServer, startMockServer } from '@rc/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clusterRootNodes,
  deleteNamespace,
  mockClient,
  EXTENSION_PATH as PATH,
  passwordLogin,
  randomNamespace,
  storeOpener,
} from './helpers.js';

// The token manager across clients on a real Redis Cluster (3 masters, from global-setup.ts): 8
// clients, each with its own redisStore({ cluster }) connection (as 8 processes would have), fire
// 100 concurrent GETs each against a mock server answering in 0–150 ms. The token endpoint must
// see exactly one request. (The 8-process version on a single Redis is examples/multi-process.)

const CLIENTS = 8;
const REQUESTS = 100;

let server: MockServer;
let namespace: string;
const stores = storeOpener(() => ({ cluster: { rootNodes: clusterRootNodes() }, namespace }));

beforeAll(async () => {
  server = await startMockServer({ latencyMs: { min: 0, max: 150 } });
});
beforeEach(() => {
  namespace = randomNamespace('client-cluster');
});
afterEach(async () => {
  await stores.closeAll();
  await deleteNamespace(namespace, 'cluster');
});
afterAll(async () => {
  await server?.close();
});

/** A client with a store (and a cluster connection) of its own; each may log in by itself. */
const client = (): RcClient => mockClient(server, stores.open(), { grant: passwordLogin(server) });

/** Every client loads the stored token (or learns there is none), then `go()` happens, then they all fire. */
async function run(clients: RcClient[], go: () => void) {
  await Promise.all(clients.map((rc) => rc.getToken()));
  go();
  server.resetStats();
  const results = await Promise.allSettled(
    clients.flatMap((rc) => Array.from({ length: REQUESTS }, () => rc.get(PATH).json())),
  );
  return {
    failed: results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason),
    byGrant: { ...server.stats.byGrant },
  };
}

describe('8 clients on one Redis Cluster, 100 concurrent GETs each', () => {
  it('a token the server has just invalidated: exactly 1 refresh, 0 failed', async () => {
    await client().setToken(server.issueToken());
    const { failed, byGrant } = await run(Array.from({ length: CLIENTS }, client), () =>
      server.invalidateAccessTokens(),
    );
    expect(failed).toEqual([]);
    expect(byGrant).toEqual({ refresh_token: 1 });
  });

  it('an empty store, each client with an unattended grant: exactly 1 login, 0 failed', async () => {
    const { failed, byGrant } = await run(Array.from({ length: CLIENTS }, client), () => {});
    expect(failed).toEqual([]);
    expect(byGrant).toEqual({ password: 1 });
  });
});
