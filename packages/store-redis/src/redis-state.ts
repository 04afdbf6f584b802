import { ConfigError, type StateStore, StoreError } from '@rc/core';
import type { Connection } from './connection.js';
import { DELETE_STATE, LEASE, RELEASE, runScript, SET_STATE } from './scripts.js';

// The optional StateStore capability of core's TokenStore contract (see its doc in @rc/core's
// types.ts): JSON state records and leases, which @rc/subscriptions uses to recover a WebSocket
// session after a restart and to elect one connection holder among processes. The keys sit in the
// session's hash slot beside the token (`...{key}:state`, `...{key}:lease`, keys.ts) but never
// touch it. A lease is one atomic script (take-or-renew, LEASE), released by compare-and-delete
// (RELEASE, as for the lock); unlike the lock it has no heartbeat of its own: its owner renews it,
// and each renewal tells the owner whether it still holds it.

const positiveTtl = (ttlMs: unknown, method: string): string => {
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new ConfigError(`redisStore.${method}: \`ttlMs\` must be a whole number of ms > 0`, 'ttlMs');
  return String(ttlMs);
};
const ownerOf = (owner: unknown, method: string): string => {
  if (typeof owner !== 'string' || owner === '')
    throw new ConfigError(`redisStore.${method}: \`owner\` must be a non-empty string`, 'owner');
  return owner;
};

export function redisState(conn: Connection): StateStore {
  return {
    async getState(key) {
      const keys = conn.keys.of(key);
      const raw = await conn.run('get', keys.name, (c) => c.get(keys.state));
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new StoreError(
          'parse',
          `The state stored under "${keys.name}" is not JSON. Delete it or overwrite it with setState().`,
        );
      }
    },
    async setState(key, value, ttlMs) {
      const keys = conn.keys.of(key);
      const ttl = positiveTtl(ttlMs, 'setState');
      const json = JSON.stringify(value ?? null);
      await conn.run('set', keys.name, (c) => runScript(c, SET_STATE, [keys.state], [json, ttl]));
    },
    async deleteState(key) {
      const keys = conn.keys.of(key);
      await conn.run('delete', keys.name, (c) => runScript(c, DELETE_STATE, [keys.state], []));
    },
    async acquireLease(key, owner, ttlMs) {
      const keys = conn.keys.of(key);
      const args = [ownerOf(owner, 'acquireLease'), positiveTtl(ttlMs, 'acquireLease')];
      const reply = await conn.run('lock', keys.name, (c) => runScript(c, LEASE, [keys.lease], args));
      return Number(reply) === 1;
    },
    async releaseLease(key, owner) {
      const keys = conn.keys.of(key);
      const args = [ownerOf(owner, 'releaseLease')];
      await conn.run('lock', keys.name, (c) => runScript(c, RELEASE, [keys.lease], args));
    },
  };
}
