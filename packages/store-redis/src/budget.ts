import type { SharedBudget } from '@rc/core';
import type { Connection } from './connection.js';
import { runScript, script } from './scripts.js';

// The rate-limit budget shared by every process on the store (SharedBudget in @rc/core): per
// group, a sorted set of the requests reserved in the window, future ones too (scored by Redis's
// own clock, so the processes' clocks need not agree) and a hash of the group's limit, window and a sequence for
// unique members. Both keys carry the group as their hash tag: one slot, one Cluster node. A call
// reserves a slice of several requests: a process asks once per several requests, not per
// request, and one that must wait is told when, not refused (no polling).
//
// The keys cannot collide with a session's: those are `<prefix>{...}`, these start `<prefix>rate-limit`.

/**
 * KEYS: window set, limits hash. ARGV: want, limit, window ms (0: not known here, use the last
 * passed), spent and its age in ms (the server's count then: entries are added then to reach it). Returns {granted, ms until they may go}. The set holds every reservation, future ones
 * too: the slice goes when the entry `limit` places back leaves the window, and takes as many as
 * are free then. With no limit known, grants all now (counted).
 */
const TAKE = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local want = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
if limit > 0 and window > 0 then
  redis.call('HSET', KEYS[2], 'limit', limit, 'window', window)
else
  limit = tonumber(redis.call('HGET', KEYS[2], 'limit') or '0')
  window = tonumber(redis.call('HGET', KEYS[2], 'window') or '0')
end
local known = limit > 0 and window > 0
local keep = 3600000
if known then keep = window end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
local at = now
local n = want
if known then
  local said = now - tonumber(ARGV[5])
  local short = tonumber(ARGV[4]) - redis.call('ZCOUNT', KEYS[1], '-inf', said)
  if short > 0 and said > now - window then
    local seq = redis.call('HINCRBY', KEYS[2], 'seq', short)
    for i = 1, short do redis.call('ZADD', KEYS[1], said, 'spent' .. (seq - i)) end
  end
  local count = redis.call('ZCARD', KEYS[1])
  if count >= limit then
    local e = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
    at = math.max(now, tonumber(e[2]) + window)
  end
  n = math.min(want, limit - redis.call('ZCOUNT', KEYS[1], '(' .. (at - window), '+inf'))
end
if n <= 0 then return {0, math.max(1, at - now)} end
local seq = redis.call('HINCRBY', KEYS[2], 'seq', n)
for i = 1, n do redis.call('ZADD', KEYS[1], at, seq - i) end
redis.call('PEXPIRE', KEYS[1], at - now + keep)
redis.call('PEXPIRE', KEYS[2], 3600000)
return {n, at - now}
`);

export interface RedisBudget extends SharedBudget {
  /** How many calls this store made to Redis for the budget (for measuring; each is one round-trip). */
  readonly calls: number;
}

const count = (v: unknown, name: string) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new TypeError(`budget: \`${name}\` must be an integer ≥ 0`);
  return v;
};

export function redisBudget(conn: Connection): RedisBudget {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async take(group, want, limit, windowMs, spent = 0, spentAgoMs = 0) {
      if (typeof group !== 'string') throw new TypeError('budget: `group` must be a string');
      const args = [
        count(want, 'want'),
        count(limit, 'limit'),
        count(Math.ceil(windowMs), 'windowMs'),
        count(spent, 'spent'),
        count(Math.ceil(spentAgoMs), 'spentAgoMs'),
      ].map(String);
      if (want === 0) return { granted: 0, inMs: 0 };
      const tag = `{${group.replace(/[{}]/g, '_')}}`;
      const keys = [
        `${conn.keys.prefix}rate-limit:budget:${tag}`,
        `${conn.keys.prefix}rate-limit:budget:${tag}:limits`,
      ];
      calls++;
      const reply = (await conn.run('penalty', group, (c) => runScript(c, TAKE, keys, args))) as number[];
      return { granted: Number(reply[0]), inMs: Number(reply[1]) };
    },
  };
}
