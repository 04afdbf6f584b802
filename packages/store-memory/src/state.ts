import { ConfigError, type StateStore, StoreError } from '@rc/core';
import { type KeyLock, safeCause } from '@rc/core/kit';
import type { Keyv } from 'keyv';

// The optional StateStore capability of core's TokenStore contract (see its doc in @rc/core's
// types.ts): JSON state records and leases, which @rc/subscriptions uses to recover a WebSocket
// session after a restart and to elect one connection holder. Kept in the same keyv instance as
// the tokens, under their own key segments (`rc-state:`, `rc-lease:`), so a state key never reads
// or overwrites a token. A lease is checked and written inside the store's per-key lock: atomic
// among everyone in this process sharing the keyv instance (not across processes: that needs a
// store with a shared backend and atomic writes, such as @rc/store-redis).

export function memoryState(keyv: Keyv, locks: KeyLock, namespace: string): StateStore {
  const ns = encodeURIComponent(namespace);
  const id = (kind: 'state' | 'lease', key: unknown, method: string) => {
    if (typeof key !== 'string' || key === '')
      throw new ConfigError(`memoryStore.${method}: \`key\` must be a non-empty string`, 'key');
    return `rc-${kind}:${ns}:${key}`;
  };
  const ttlOf = (ttlMs: unknown, method: string) => {
    if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs <= 0)
      throw new ConfigError(`memoryStore.${method}: \`ttlMs\` must be a whole number of ms > 0`, 'ttlMs');
    return ttlMs;
  };
  const failed = (op: string, key: string, error: unknown) => {
    const cause = safeCause(error);
    return new StoreError(
      op,
      `Could not ${op} the state "${key}" in the memory store's keyv backend: ${cause.name}: ${cause.message}`,
      { cause },
    );
  };
  const call = async <T>(op: string, key: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw failed(op, key, error);
    }
  };

  return {
    async getState(key) {
      const k = id('state', key, 'getState');
      const value: unknown = await call('read', key, () => keyv.get(k));
      return value ?? undefined;
    },
    async setState(key, value, ttlMs) {
      const k = id('state', key, 'setState');
      const ttl = ttlOf(ttlMs, 'setState');
      // A round trip through JSON: the contract promises JSON, whatever the keyv backend keeps.
      const json = JSON.parse(JSON.stringify(value ?? null)) as unknown;
      const written = await call('write', key, () => keyv.set(k, json, ttl));
      if (written === false)
        throw failed('write', key, new Error('the keyv store adapter reported a failed write'));
    },
    async deleteState(key) {
      const k = id('state', key, 'deleteState');
      await call('delete', key, () => keyv.delete(k));
    },
    async acquireLease(key, owner, ttlMs) {
      const k = id('lease', key, 'acquireLease');
      const ttl = ttlOf(ttlMs, 'acquireLease');
      if (typeof owner !== 'string' || owner === '')
        throw new ConfigError('memoryStore.acquireLease: `owner` must be a non-empty string', 'owner');
      return locks.run(k, async () => {
        const holder = await call('read', key, () => keyv.get(k));
        if (holder !== undefined && holder !== owner) return false;
        await call('write', key, () => keyv.set(k, owner, ttl));
        return true;
      });
    },
    async releaseLease(key, owner) {
      const k = id('lease', key, 'releaseLease');
      await locks.run(k, async () => {
        if ((await call('read', key, () => keyv.get(k))) === owner)
          await call('delete', key, () => keyv.delete(k));
      });
    },
  };
}
