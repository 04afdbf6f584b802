import assert from 'node:assert/strict';
import type { SuiteCase } from './context.js';
import { fullToken, minimalToken, sleep } from './fixtures.js';

// A stored entry lives as long as the token can still be used: until the refresh token expires, or
// the access token when there is no refresh token. Expiry is checked against real time (a store's
// backend, e.g. Redis, keeps its own clock), so these cases sleep; `expiryMs` keeps them short.

/** Waits until `deadline` (epoch ms) plus a margin for timer and backend granularity. */
const sleepPast = (deadline: number, expiryMs: number) =>
  sleep(Math.max(0, deadline - Date.now()) + Math.max(100, expiryMs / 2));

export const expiryCases: readonly SuiteCase[] = [
  {
    name: 'the entry expires with the refresh token',
    async run(ctx) {
      const store = await ctx.store();
      const now = Date.now();
      // The access token has already expired: the entry must still live, because the refresh
      // token can get a new one. A store that expires entries with the access token fails here.
      const token = { ...fullToken(now), expiresAt: now - 60_000, refreshTokenExpiresAt: now + ctx.expiryMs };
      await store.set('user-1', token);
      assert.deepStrictEqual(
        await store.get('user-1'),
        token,
        'the token is gone before its refresh token expired',
      );
      await sleepPast(token.refreshTokenExpiresAt, ctx.expiryMs);
      assert.equal(await store.get('user-1'), undefined, 'the token outlived its refresh token');
    },
  },
  {
    name: 'without a refresh token the entry expires with the access token',
    async run(ctx) {
      const store = await ctx.store();
      const token = { ...minimalToken(), expiresAt: Date.now() + ctx.expiryMs };
      await store.set('user-1', token);
      assert.deepStrictEqual(await store.get('user-1'), token, 'the token is gone before it expired');
      await sleepPast(token.expiresAt, ctx.expiryMs);
      assert.equal(await store.get('user-1'), undefined, 'the token outlived its access token');
    },
  },
  {
    name: 'a token whose refresh token already expired is not returned (and replaces the old one)',
    async run(ctx) {
      const store = await ctx.store();
      await store.set('user-1', fullToken());
      const now = Date.now();
      const dead = { ...fullToken(now), expiresAt: now - 2_000, refreshTokenExpiresAt: now - 1_000 };
      await store.set('user-1', dead);
      assert.equal(await store.get('user-1'), undefined);
    },
  },
];
