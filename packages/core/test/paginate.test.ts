import { ConfigError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const CALL_LOG = '/restapi/v1.0/account/~/extension/~/call-log';
const GET_CALL_LOG = 'GET /restapi/v1.0/account/~/extension/~/call-log';
const GET_CHATS = 'GET /team-messaging/v1/chats';

interface CallLogRecord {
  id: string;
  startTime: string;
  direction: 'Inbound' | 'Outbound';
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('paginate', () => {
  it('walks 250 call-log records at 100 a page: all in order, exactly 3 GETs', async () => {
    const server = await mockServer({ callLogSize: 250 });
    const rc = await loggedIn(server);
    server.resetStats();
    const records = await collect(rc.paginate<CallLogRecord>(CALL_LOG, { searchParams: { perPage: 100 } }));
    expect(records).toHaveLength(250);
    expect(records.map((r) => r.id)).toEqual(
      Array.from({ length: 250 }, (_, i) => `CL${String(i + 1).padStart(9, '0')}`),
    );
    expect(server.stats.byEndpoint[GET_CALL_LOG]).toBe(3);
    expect(server.stats.requests).toBe(3);
  });

  it('keeps the caller’s query on every page (it is in the navigation URIs)', async () => {
    const server = await mockServer({ callLogSize: 5 });
    const rc = await loggedIn(server);
    const pages: string[] = [];
    await collect(
      rc.paginate(CALL_LOG, {
        searchParams: { perPage: 2, view: 'Simple' },
        onPage: ({ page }) => pages.push(`${page.paging?.page}/${page.paging?.totalElements}`),
      }),
    );
    expect(pages).toEqual(['1/5', '2/5', '3/5']);
  });

  it('breaking after 5 records makes 1 GET', async () => {
    const server = await mockServer({ callLogSize: 250 });
    const rc = await loggedIn(server);
    server.resetStats();
    let n = 0;
    for await (const _ of rc.paginate(CALL_LOG, { searchParams: { perPage: 100 } })) {
      if (++n === 5) break;
    }
    expect(n).toBe(5);
    expect(server.stats.requests).toBe(1);
  });

  it('walks 75 Team Messaging chats at 30 a page by page token: 3 GETs', async () => {
    const server = await mockServer({ chatCount: 75 });
    const rc = await loggedIn(server);
    server.resetStats();
    const chats = await collect(
      rc.paginate<{ id: string }>('/team-messaging/v1/chats', { searchParams: { recordCount: 30 } }),
    );
    expect(chats.map((c) => c.id)).toEqual(Array.from({ length: 75 }, (_, i) => String(700_000_000 + i)));
    expect(server.stats.byEndpoint[GET_CHATS]).toBe(3);
  });

  it('completes with 1 refresh when the access token is invalidated mid-walk', async () => {
    const server = await mockServer({ callLogSize: 250 });
    const rc = await loggedIn(server);
    let refreshes = 0;
    rc.on('token', () => refreshes++);
    server.resetStats();
    let n = 0;
    for await (const _ of rc.paginate(CALL_LOG, { searchParams: { perPage: 100 } })) {
      if (++n === 150) server.invalidateAccessTokens();
    }
    expect(n).toBe(250);
    expect(refreshes).toBe(1);
    expect(server.stats.byGrant.refresh_token).toBe(1);
    expect(server.stats.byStatus['401']).toBe(1);
  });

  it('an empty list: 1 GET, no records', async () => {
    const server = await mockServer({ callLogSize: 0, chatCount: 0 });
    const rc = await loggedIn(server);
    server.resetStats();
    expect(await collect(rc.paginate(CALL_LOG))).toEqual([]);
    expect(await collect(rc.paginate('/team-messaging/v1/chats'))).toEqual([]);
    expect(server.stats.requests).toBe(2);
  });

  it('an AbortSignal stops the walk', async () => {
    const server = await mockServer({ callLogSize: 300 });
    const rc = await loggedIn(server);
    const controller = new AbortController();
    server.resetStats();
    let n = 0;
    const walk = (async () => {
      for await (const _ of rc.paginate(CALL_LOG, { signal: controller.signal })) {
        if (++n === 100) controller.abort(new Error('stop'));
      }
    })();
    await expect(walk).rejects.toThrow('stop');
    expect(server.stats.requests).toBe(1);
  });

  it('a rate-limit wait in the middle is waited out like any request', async () => {
    const server = await mockServer({ callLogSize: 30 });
    const rc = await loggedIn(server);
    const limited: unknown[] = [];
    rc.on('rateLimited', (info) => limited.push(info));
    let n = 0;
    for await (const _ of rc.paginate(CALL_LOG, { searchParams: { perPage: 10 } })) {
      if (++n === 10)
        server.failNext({ method: 'GET', path: CALL_LOG, status: 429, headers: { 'Retry-After': '1' } });
    }
    expect(n).toBe(30);
    expect(server.stats.rateLimited).toBe(1);
    expect(limited).toHaveLength(1);
  });

  it('refuses a next page on another host (the token never leaves the server)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({
      method: 'GET',
      path: CALL_LOG,
      status: 200,
      body: { records: [{ id: 1 }], navigation: { nextPage: { uri: 'https://evil.example/steal?page=2' } } },
    });
    await expect(collect(rc.paginate(CALL_LOG))).rejects.toBeInstanceOf(ConfigError);
  });

  it('a reply that is not a list is an ApiError, and a page pointing to itself ends in one too', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.failNext({ method: 'GET', path: CALL_LOG, status: 200, body: { nope: 1 } });
    await expect(collect(rc.paginate(CALL_LOG))).rejects.toMatchObject({ code: 'RC_API' });
    const self = `${server.url}/restapi/v1.0/account/~/extension/~/call-log?page=1`;
    server.failNext({
      method: 'GET',
      path: CALL_LOG,
      status: 200,
      times: 3,
      body: { records: [{ id: 1 }], navigation: { nextPage: { uri: self } } },
    });
    await expect(collect(rc.paginate(CALL_LOG))).rejects.toMatchObject({ code: 'RC_API' });
  });
});
