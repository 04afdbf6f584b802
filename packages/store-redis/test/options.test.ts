import KeyvRedis, { createClient } from '@keyv/redis';
import { ConfigError, type TokenSet } from '@rc/core';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { type RedisStoreOptions, redisStore } from '../src/index.js';
import { redisUrl } from './helpers.js';

// Options are checked when redisStore() is called: a mistake throws ConfigError naming the option,
// before any connection is made (so none of these needs Redis, and none leaves one open).

function configError(options: unknown): ConfigError {
  try {
    redisStore(options as RedisStoreOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('redisStore() accepted bad options');
}

describe('redisStore options', () => {
  it('decides whether a token is alive on the clock it is given, not the wall clock', async () => {
    let t = Date.now();
    const store = redisStore({
      url: redisUrl(),
      namespace: `rc:test:clock:${t}:${Math.random()}`,
      now: () => t,
    });
    try {
      await store.set('k', { accessToken: 'x', tokenType: 'bearer', expiresAt: t + 60_000 });
      expect(await store.get('k')).toBeDefined();
      t += 61_000; // the client's clock moved past the token's life; Redis still holds the entry
      expect(await store.get('k')).toBeUndefined();
    } finally {
      await store.delete('k');
      await store.close();
    }
  });

  it.each([
    [{ url: 'http://127.0.0.1:6379' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: '' }, 'url'],
    [{ url: 42 }, 'url'],
    [{ keyv: new Keyv() }, 'keyv'],
    [{ keyv: {} }, 'keyv'],
    [{ cluster: {} }, 'cluster.rootNodes'],
    [{ cluster: { rootNodes: [] } }, 'cluster.rootNodes'],
    [{ cluster: { rootNodes: [{}] } }, 'cluster.rootNodes[0]'],
    [
      { cluster: { rootNodes: [{ url: 'redis://127.0.0.1:7100' }, { url: 'ftp://x' }] } },
      'cluster.rootNodes[1].url',
    ],
    [{ namespace: '' }, 'namespace'],
    [{ namespace: 'a{b}' }, 'namespace'],
    [{ lockTtlMs: 0 }, 'lockTtlMs'],
    [{ lockTtlMs: 1.5 }, 'lockTtlMs'],
    [{ lockTtlMs: '15000' }, 'lockTtlMs'],
    [{ lockWaitMs: -1 }, 'lockWaitMs'],
    [{ commandTimeoutMs: 0 }, 'commandTimeoutMs'],
    [{ commandTimeoutMs: Number.NaN }, 'commandTimeoutMs'],
    [{ lockTtlMs: 1000, commandTimeoutMs: 600 }, 'commandTimeoutMs'],
    [{ lockTTL: 5000 }, 'lockTTL'],
  ])('%o is refused, naming %s', (options, option) => {
    expect(configError(options).option).toBe(option);
  });

  it('refuses two connection sources at once, naming both in the message', () => {
    const error = configError({ url: redisUrl(), cluster: { rootNodes: [{ url: redisUrl() }] } });
    expect(error.message).toMatch(/only one of url, keyv and cluster/);
    expect(error.message).toMatch(/url and cluster/);
  });

  it('never repeats a URL (it may hold a password) in a message', () => {
    const error = configError({ url: 'http://user:s3cret-pw@127.0.0.1:6379' });
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('refuses a keyv whose key prefix would pick the cluster hash slot', () => {
    const client = createClient({ url: redisUrl() });
    const keyv = new Keyv(new KeyvRedis(client, { namespace: 'app{1}' }), { namespace: 'app{1}' });
    expect(configError({ keyv }).option).toBe('keyv');
  });

  it('accepts valid options, including defaults derived from lockTtlMs, without connecting', async () => {
    for (const options of [
      undefined,
      {},
      { url: redisUrl(), namespace: 'app', lockTtlMs: 300 },
      { url: 'rediss://user:pw@127.0.0.1:6380/2', lockTtlMs: 30_000, lockWaitMs: 0, commandTimeoutMs: 250 },
      { cluster: { rootNodes: [{ url: 'redis://127.0.0.1:7100' }] } },
    ] as const) {
      const store = redisStore(options as RedisStoreOptions);
      await store.close();
    }
  });

  it('rejects a bad session key or token at the call with ConfigError', async () => {
    const store = redisStore({ url: redisUrl() });
    try {
      await expect(store.get('')).rejects.toBeInstanceOf(ConfigError);
      await expect(store.set('k', { accessToken: 'x' } as TokenSet)).rejects.toMatchObject({
        option: 'token',
      });
      await expect(store.withLock(undefined as unknown as string, async () => 1)).rejects.toMatchObject({
        option: 'key',
      });
    } finally {
      await store.close();
    }
  });
});
