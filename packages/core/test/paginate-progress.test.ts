// Issue 18 items 12 and 14: a list whose `nextPage` never progresses (page 1 again under a changing
// nonce, the same records under a new page token) ends in an ApiError instead of a walk for ever;
// bad arguments and unknown options are ConfigErrors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, ConfigError, createClient, type RcClient } from '@rc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const CALL_LOG = '/restapi/v1.0/account/~/extension/~/call-log';
const MAX_REQUESTS = 50;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A list server whose every page is `page(n, base)` (n counts requests); answers 404 past MAX_REQUESTS. */
async function endless(page: (n: number, base: string) => unknown) {
  let n = 0;
  let base = '';
  const server = createServer((_, res) => {
    n++;
    res.writeHead(n > MAX_REQUESTS ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(n > MAX_REQUESTS ? {} : page(n, base)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rc: RcClient = createClient({ server: base, clientId: 'id', retry: 0 });
  await rc.setToken({ access_token: 'tok-progress-1', token_type: 'bearer', expires_in: 3600 });
  return { rc, requests: () => n };
}

async function walk(rc: RcClient, path = CALL_LOG) {
  const seen: unknown[] = [];
  const error = await (async () => {
    for await (const r of rc.paginate(path)) seen.push(r);
  })().catch((e: unknown) => e);
  return { seen, error };
}

describe('paginate stops on a list that does not progress', () => {
  it('page 1 again under a changing nonce (new records each time): an ApiError after the second page', async () => {
    const { rc, requests } = await endless((n, base) => ({
      records: [{ id: n }],
      paging: { page: 1, perPage: 1 },
      navigation: { nextPage: { uri: `${base}${CALL_LOG}?page=1&nonce=${n}` } },
    }));
    const { seen, error } = await walk(rc);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/does not progress/);
    expect(requests()).toBe(2);
    expect(seen).toEqual([{ id: 1 }]);
  });

  it('the same records under a changing URI and no paging: an ApiError, the repeat not yielded', async () => {
    const { rc, requests } = await endless((n, base) => ({
      records: [{ id: 1 }, { id: 2 }],
      navigation: { nextPage: { uri: `${base}${CALL_LOG}?nonce=${n}` } },
    }));
    const { seen, error } = await walk(rc);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/does not progress/);
    expect(requests()).toBe(2);
    expect(seen).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('the same records under a new page token each time: an ApiError', async () => {
    const { rc, requests } = await endless((n) => ({
      records: [{ id: 'chat-1' }],
      navigation: { nextPageToken: `token-${n}` },
    }));
    const { error } = await walk(rc, '/team-messaging/v1/chats');
    expect(error).toBeInstanceOf(ApiError);
    expect(requests()).toBe(2);
  });

  it('a page number that goes back (1, 2, 1) is no progress either', async () => {
    const { rc, requests } = await endless((n, base) => ({
      records: [{ id: n }],
      paging: { page: n === 3 ? 1 : n },
      navigation: { nextPage: { uri: `${base}${CALL_LOG}?page=${n + 1}` } },
    }));
    const { seen, error } = await walk(rc);
    expect(error).toBeInstanceOf(ApiError);
    expect(requests()).toBe(3);
    expect(seen).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('an ordinary walk still completes (250 records, 3 pages)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const { seen, error } = await walk(rc);
    expect(error).toBeUndefined();
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('paginate checks its arguments', () => {
  it('a path that is not a string, an onPage that is not a function, an unknown option: ConfigError', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.resetStats();
    const cases: [() => AsyncGenerator<unknown>, string][] = [
      [() => rc.paginate(42 as never), 'path'],
      [() => rc.paginate(new URL(`${server.url}${CALL_LOG}`) as never), 'path'],
      [() => rc.paginate(CALL_LOG, { onPage: 'yes' as never }), 'onPage'],
      [() => rc.paginate(CALL_LOG, { perPage: 100 } as never), 'perPage'],
      [() => rc.paginate(CALL_LOG, null as never), 'options'],
    ];
    for (const [make, option] of cases) {
      const error = await make()
        .next()
        .catch((e: unknown) => e);
      expect(error, option).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
    }
    expect(server.stats.requests).toBe(0);
  });

  it('batchGet refuses an unknown option', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const error = await rc
      .batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', [1, 2], {
        chunk_size: 2,
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('chunk_size');
    expect((error as ConfigError).message).toContain('Did you mean "chunkSize"?');
  });
});
