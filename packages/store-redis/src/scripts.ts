import { createHash } from 'node:crypto';

// The Lua scripts. Each runs atomically on the node that owns its keys; every key it touches is
// passed in KEYS[] (never built inside the script), as Redis Cluster requires, and all KEYS of one
// call are one session's keys, which share a hash slot (keys.ts).
//
// The version counter (`...:version`) exists so that a write made by a lock holder can tell
// whether anyone else wrote since the holder acquired the lock. It only ever increases while it
// exists, and it outlives every lock on the session (ACQUIRE and EXTEND stretch its TTL to the
// lock's; WRITE to the lock's or the token's, whichever is longer), so a holder never sees it
// expire and restart from 0 under its feet (no ABA). Between locks it may expire and the next
// ACQUIRE start it again from 0: safe, as WRITE compares a number only for the current owner.

/** A Lua script and its SHA1, for EVALSHA with an EVAL fallback. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

export const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

/**
 * KEYS: lock, version. ARGV: owner, ttl.
 * SET lock owner NX PX ttl. Acquired: returns {1, version} (creating version 0 when missing, and
 * stretching its TTL to at least the lock's). Held by someone else: returns {0, lock's PTTL}.
 */
export const ACQUIRE = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local ttl = tonumber(ARGV[2])
  local version = redis.call('GET', KEYS[2])
  if not version then
    version = '0'
    redis.call('SET', KEYS[2], version, 'PX', ttl)
  else
    local left = redis.call('PTTL', KEYS[2])
    if left >= 0 and left < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
  end
  return {1, version}
end
return {0, redis.call('PTTL', KEYS[1])}
`);

/**
 * KEYS: lock, version. ARGV: owner, ttl.
 * The heartbeat: if `owner` still holds the lock, pushes its expiry (and the version's, if
 * shorter) to ttl from now and returns 1; otherwise returns 0 (the lock was lost).
 */
export const EXTEND = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local left = redis.call('PTTL', KEYS[2])
if left >= 0 and left < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
`);

/**
 * KEYS: lock. ARGV: owner.
 * Compare-and-delete: releases the lock only if `owner` still holds it (never someone else's lock
 * taken over after ours expired). Returns 1 when released, 0 when it was no longer ours.
 */
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * KEYS: token, version, lock. ARGV: value, ttl, owner, expected version, minimum version TTL.
 * Writes the token entry with PX ttl (ttl 0: no expiry), or deletes it when the value is empty (a
 * delete, or a token that has already expired); then bumps the version and returns it. With an
 * owner (a write from inside `withLock`) it first checks that the owner still holds the lock (else
 * returns -1) and that the version is the one the owner last saw (else returns -2): a holder whose
 * lock expired, or who was overtaken by a plain write, cannot overwrite the newer token.
 */
export const WRITE = script(`
if ARGV[3] ~= '' then
  if redis.call('GET', KEYS[3]) ~= ARGV[3] then return -1 end
  if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[4] then return -2 end
end
local ttl = tonumber(ARGV[2])
if ARGV[1] == '' then
  redis.call('DEL', KEYS[1])
elseif ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
local version = redis.call('INCR', KEYS[2])
local keep = math.max(ttl, tonumber(ARGV[5]))
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
return version
`);

/**
 * KEYS: state. ARGV: value, ttl. Writes a state record with PX ttl (StateStore.setState).
 */
export const SET_STATE = script(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** KEYS: state. Deletes a state record (StateStore.deleteState). */
export const DELETE_STATE = script(`
return redis.call('DEL', KEYS[1])
`);

/**
 * KEYS: lease. ARGV: owner, ttl.
 * Takes the lease when it is free, or renews it when `owner` holds it (PX ttl from now), and returns
 * 1; returns 0 when someone else holds it. Released with RELEASE (compare-and-delete).
 */
export const LEASE = script(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** What running a script needs from a node-redis client or cluster. */
export interface ScriptRunner {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Runs `script` by SHA, sending its source only when the node does not know it yet (NOSCRIPT:
 * first use, a restarted Redis, another cluster node). Saves bandwidth, and keeps MONITOR/slowlog
 * output short.
 */
export async function runScript(
  client: ScriptRunner,
  script: Script,
  keys: string[],
  args: string[],
): Promise<unknown> {
  try {
    return await client.evalSha(script.sha, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, { keys, arguments: args });
  }
}
