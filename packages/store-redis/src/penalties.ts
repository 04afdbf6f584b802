import type { SharedPenalties } from '@rc/core';
import type { Connection, PubSubClient } from './connection.js';
import { runScript, script } from './scripts.js';

// Rate-limit penalties shared by every process on the store (SharedPenalties in @rc/core). A
// penalty is a field of one hash, `<prefix>rate-limit:penalties` (group → its end on Redis's own
// clock), and a message on the sharded channel of the same name (same slot, so the same node of a
// Cluster). Ends travel as "ms from now" and are turned back into epoch ms by each reader's clock:
// clocks of the processes and of Redis need not agree. A client subscribes and loads once, and
// publishes only when it meets a 429: an API request costs Redis nothing.
//
// The key cannot collide with a session's: those are `<prefix>{...}`, this one has no brace.

/** KEYS: board. ARGV: group, ms left. Keeps the later end; the hash lives as long as its latest penalty. */
const PUBLISH = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local left = tonumber(ARGV[2])
local ends = now + left
if ends > tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') then redis.call('HSET', KEYS[1], ARGV[1], ends) end
if redis.call('PTTL', KEYS[1]) < left then redis.call('PEXPIRE', KEYS[1], left) end
return 1
`);

/** KEYS: board. Returns {group, ms left, ...} for the penalties still running. */
const LOAD = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local left = tonumber(all[i + 1]) - now
  if left > 0 then
    out[#out + 1] = all[i]
    out[#out + 1] = tostring(left)
  end
end
return out
`);

type Listener = (group: string, untilEpochMs: number) => void;

export interface RedisPenalties extends SharedPenalties {
  close(): Promise<void>;
}

export function redisPenalties(conn: Connection): RedisPenalties {
  const key = `${conn.keys.prefix}rate-limit:penalties`;
  const listeners = new Set<Listener>();
  let subscription: Promise<{ client: PubSubClient; close: () => Promise<void> }> | undefined;
  let closed = false;

  const onMessage = (message: string) => {
    let parsed: { group?: unknown; ms?: unknown };
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const { group, ms } = parsed;
    if (typeof group !== 'string' || typeof ms !== 'number' || !Number.isFinite(ms)) return;
    const until = Date.now() + ms;
    for (const listener of [...listeners]) {
      try {
        listener(group, until);
      } catch {
        // One client's listener must not keep the penalty from the others.
      }
    }
  };

  /** Subscribes once (retried on the next call if it failed). */
  const subscribed = () => {
    subscription ??= (async () => {
      if (closed) throw new Error('closed');
      const sub = await conn.subscriber();
      await sub.client.sSubscribe(key, onMessage);
      return sub;
    })();
    subscription.catch(() => {
      subscription = undefined;
    });
    return subscription;
  };

  return {
    async publish(group, untilEpochMs) {
      const ms = Math.ceil(untilEpochMs - Date.now());
      if (!(ms > 0) || typeof group !== 'string') return;
      await conn.run('penalty', group, async (c) => {
        await runScript(c, PUBLISH, [key], [group, String(ms)]);
        await c.sPublish(key, JSON.stringify({ group, ms }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      subscribed().catch(() => undefined);
      return () => void listeners.delete(listener);
    },
    async load() {
      // Subscribed first: a penalty published between the read and the subscription is not lost.
      await subscribed();
      const reply = (await conn.run('penalty', key, (c) => runScript(c, LOAD, [key], []))) as string[];
      const now = Date.now();
      const out: Record<string, number> = {};
      for (let i = 0; i + 1 < reply.length; i += 2) out[reply[i]!] = now + Number(reply[i + 1]);
      return out;
    },
    async close() {
      // Never waits on Redis (it may be gone): a single Redis's subscriber is destroyed with the
      // connection (Connection.close), a cluster's sharded subscription with the cluster.
      closed = true;
      listeners.clear();
    },
  };
}
