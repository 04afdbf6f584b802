import { ConfigError } from '@rc/core';

// Key layout. A session's keys are
//
//   <namespace>::{<session key>}           the token, a keyv entry ({"value": TokenSet, "expires": ms})
//   <namespace>::{<session key>}:version   a counter bumped by every write (see redis-lock.ts)
//   <namespace>::{<session key>}:lock      the lock: a random owner id, with a PX expiry
//   <namespace>::{<session key>}:state     a JSON state record (StateStore, redis-state.ts)
//   <namespace>::{<session key>}:lease     a lease: its owner id, with a PX expiry (StateStore)
//
// `<namespace>::` is exactly the prefix @keyv/redis puts on a key (`createKeyPrefix`, separator
// `::` unless the adapter was given another), so a Keyv made by `createKeyv(url, { namespace })`
// reads the token entry as `keyv.get('{<session key>}')`.
//
// Redis Cluster hashes only the part between the first `{` and the next `}` when that part is not
// empty. The three keys are identical up to and including the closing brace of the tag, so they
// always land in one slot, and the Lua scripts that touch several of them run on one node. Two
// things could break that, and both are ruled out here: a `{` or `}` in the prefix (checked when
// the store is made), and a session key that makes the tag empty or ends it early (`}` inside it):
// `%`, `{` and `}` in session keys are percent-escaped, which keeps distinct keys distinct.

/** The Redis keys of one session. */
export interface SessionKeys {
  /** The session key as the caller gave it (for messages). */
  readonly name: string;
  readonly token: string;
  readonly version: string;
  readonly lock: string;
  readonly state: string;
  readonly lease: string;
}

const escapeTag = (key: string): string =>
  key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Maps session keys to Redis keys under one namespace. */
export class KeySpace {
  readonly prefix: string;

  /**
   * @param namespace the store's namespace
   * @param separator @keyv/redis's `keyPrefixSeparator` (default `::`)
   * @param option the option to blame if the prefix is unusable
   */
  constructor(namespace: string, separator: string, option: string) {
    this.prefix = `${namespace}${separator}`;
    if (/[{}]/.test(this.prefix)) {
      throw new ConfigError(
        `redisStore: the key prefix "${this.prefix}" must not contain { or } (they pick the Redis Cluster hash slot)`,
        option,
      );
    }
  }

  /** The keys of session `key`; rejects a key that is not a non-empty string. */
  of(key: unknown): SessionKeys {
    if (typeof key !== 'string' || key === '') {
      throw new ConfigError('redisStore: a session key must be a non-empty string', 'key');
    }
    const base = `${this.prefix}{${escapeTag(key)}}`;
    return {
      name: key,
      token: base,
      version: `${base}:version`,
      lock: `${base}:lock`,
      state: `${base}:state`,
      lease: `${base}:lease`,
    };
  }
}
