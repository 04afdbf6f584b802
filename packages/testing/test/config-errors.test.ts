// Issue 18 item 14: the testing tools' bad arguments are ConfigErrors naming the option, like every
// other factory of the packages (they were plain Errors and TypeErrors).
import { ConfigError } from '@rc/core';
import { startMockServer, tokenStoreTestSuite } from '@rc/testing';
import { describe, expect, it } from 'vitest';

async function configError(fn: () => unknown, option: string): Promise<void> {
  const error = await (async () => fn())().catch((e: unknown) => e);
  expect(error, option).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).option).toBe(option);
}

const noop = () => undefined;

describe('bad arguments to the testing tools are ConfigErrors', () => {
  it('startMockServer()', async () => {
    await configError(() => startMockServer({ port: -1 }), 'port');
    await configError(() => startMockServer({ accessTokenTtl: 0 }), 'accessTokenTtl');
    await configError(() => startMockServer({ latencyMs: -5 }), 'latencyMs');
    await configError(() => startMockServer({ clients: [] }), 'clients');
    await configError(() => startMockServer({ users: [{ id: '' }] } as never), 'users[0].id');
    await configError(() => startMockServer(42 as never), 'options');
  });

  it('failNext() rules', async () => {
    const server = await startMockServer();
    try {
      await configError(() => server.failNext({ path: '', status: 500 }), 'path');
      await configError(() => server.failNext({ path: '/x', status: 99 }), 'status');
      await configError(() => server.failNext({ path: '/x', status: 500, times: 0 }), 'times');
    } finally {
      await server.close();
    }
  });

  it('tokenStoreTestSuite()', async () => {
    const api = { describe: noop, it: noop };
    await configError(() => tokenStoreTestSuite({} as never, noop as never), 'test');
    await configError(() => tokenStoreTestSuite(api, 'store' as never), 'makeStore');
    await configError(() => tokenStoreTestSuite(api, noop as never, { expiryMs: 0 }), 'expiryMs');
    await configError(() => tokenStoreTestSuite(api, noop as never, { lockWaitMs: -1 }), 'lockWaitMs');
  });
});
