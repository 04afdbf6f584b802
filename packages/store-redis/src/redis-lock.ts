import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { ConfigError, jitter, StoreError, withDeadline } from '@rc/core';
import type { Connection } from './connection.js';
import type { SessionKeys } from './keys.js';
import type { ResolvedOptions } from './options.js';
import { ACQUIRE, EXTEND, RELEASE, runScript, WRITE } from './scripts.js';

// The distributed lock: `SET lock owner NX PX ttl` with a random owner, released by a Lua
// compare-and-delete, renewed by a compare-and-PEXPIRE heartbeat while fn runs.
//
// Waiting. Waiters in this process queue behind each other per key (a promise chain) and send
// nothing; only the head of the queue asks Redis, retrying with capped exponential backoff and
// jitter (20 ms doubling up to lockTtlMs/10, at most 500 ms; never past the holder's remaining
// TTL, so a crashed holder's lock is taken soon after it expires). That is a handful of commands
// per second per waiting process, with no extra connection. Pub/sub on release was the
// alternative: it needs a subscriber connection per store (per shard on a cluster), and a
// notification lost to a reconnect would still need this polling as a fallback.
//
// Version-checked writes. Who holds which lock is tracked with AsyncLocalStorage, so set() and
// delete() called from inside fn (and anything fn awaits) are known to be the holder's. Those
// writes run WRITE with the owner and the version the holder last saw: the write happens only if
// the lock is still ours and nobody else wrote since. A holder whose lock expired (a long GC pause,
// a lost heartbeat) therefore cannot overwrite the newer token of whoever took over.

const INITIAL_DELAY_MS = 20;
const MAX_DELAY_MS = 500;

interface Holder {
  readonly keys: SessionKeys;
  readonly owner: string;
  /** The session's version as this holder last saw or wrote it. */
  version: string;
  released: boolean;
  heartbeat: ReturnType<typeof setTimeout> | undefined;
  /** The holder's writes, chained so each one checks against the version the previous wrote. */
  writes: Promise<unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisLock {
  readonly #conn: Connection;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #maxDelayMs: number;
  readonly #held = new AsyncLocalStorage<ReadonlyMap<string, Holder>>();
  /** Tail of each key's in-process queue of waiters. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(conn: Connection, options: ResolvedOptions) {
    this.#conn = conn;
    this.#ttlMs = options.lockTtlMs;
    this.#waitMs = options.lockWaitMs;
    this.#maxDelayMs = Math.min(MAX_DELAY_MS, Math.max(INITIAL_DELAY_MS, Math.floor(options.lockTtlMs / 10)));
  }

  /** The live lock on `keys` held by the current async context, if any. */
  #holder(keys: SessionKeys): Holder | undefined {
    const holder = this.#held.getStore()?.get(keys.token);
    return holder && !holder.released ? holder : undefined;
  }

  async withLock<T>(keys: SessionKeys, fn: () => Promise<T>): Promise<T> {
    if (typeof fn !== 'function') throw new ConfigError('redisStore: withLock needs a function', 'fn');
    // Re-entrant: fn may call withLock on the key it holds (waiting for itself would deadlock).
    if (this.#holder(keys)) return fn();
    const deadline = Date.now() + this.#waitMs;
    const previous = this.#queues.get(keys.token);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = previous ? previous.then(() => mine) : mine;
    this.#queues.set(keys.token, tail);
    try {
      if (previous) await this.#queued(keys, previous, deadline);
      const holder = await this.#acquire(keys, deadline);
      const held = new Map(this.#held.getStore() ?? []).set(keys.token, holder);
      try {
        return await this.#held.run(held, fn);
      } finally {
        await this.#release(holder);
      }
    } finally {
      done();
      if (this.#queues.get(keys.token) === tail) this.#queues.delete(keys.token);
    }
  }

  /** Waits for the local waiter ahead of us, until the deadline. */
  #queued(keys: SessionKeys, previous: Promise<void>, deadline: number): Promise<void> {
    return withDeadline(previous, deadline - Date.now(), () => this.#timeout(keys));
  }

  async #acquire(keys: SessionKeys, deadline: number): Promise<Holder> {
    const owner = randomBytes(16).toString('hex');
    const ttl = String(this.#ttlMs);
    for (let delay = INITIAL_DELAY_MS; ; delay = Math.min(delay * 2, this.#maxDelayMs)) {
      let reply: [number, string | number];
      try {
        reply = (await this.#conn.run('lock', keys.name, (c) =>
          runScript(c, ACQUIRE, [keys.lock, keys.version], [owner, ttl]),
        )) as typeof reply;
      } catch (error) {
        // The reply was lost, not necessarily the command: a Redis that froze with it unanswered runs
        // it when it thaws, and the lock would then be ours with nobody to release it (every process
        // would wait out lockTtlMs). Queued behind it on the same connection, this undoes it.
        void this.#unlock(keys, owner);
        throw error;
      }
      if (Number(reply[0]) === 1) {
        const holder: Holder = {
          keys,
          owner,
          version: String(reply[1]),
          released: false,
          heartbeat: undefined,
          writes: Promise.resolve(),
        };
        this.#beat(holder);
        return holder;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw this.#timeout(keys);
      const holderLeft = Number(reply[1]);
      const jittered = jitter(delay);
      await sleep(Math.min(left, jittered, holderLeft >= 0 ? holderLeft + 1 : jittered));
    }
  }

  #timeout(keys: SessionKeys): StoreError {
    return new StoreError(
      'lock',
      `Timed out after ${this.#waitMs} ms waiting for the lock on "${keys.name}": another holder kept it. ` +
        'Raise lockWaitMs if its work legitimately takes that long.',
    );
  }

  /** Schedules the next heartbeat: every lockTtlMs/3, only while fn runs (nothing when idle). */
  #beat(holder: Holder): void {
    holder.heartbeat = setTimeout(
      async () => {
        if (holder.released) return;
        try {
          const extended = await this.#conn.run('lock', holder.keys.name, (c) =>
            runScript(
              c,
              EXTEND,
              [holder.keys.lock, holder.keys.version],
              [holder.owner, String(this.#ttlMs)],
            ),
          );
          // Lost (expired and maybe taken over): stop; the holder's writes will be refused.
          if (Number(extended) !== 1) return;
        } catch {
          // Redis unreachable for this beat: try again next period. If the lock expires meanwhile,
          // the holder's writes are refused (WRITE checks the owner), so nothing is overwritten.
        }
        if (!holder.released) this.#beat(holder);
      },
      Math.floor(this.#ttlMs / 3),
    );
    // The holder's own work keeps the process alive; the heartbeat must not outlive it.
    holder.heartbeat.unref();
  }

  async #release(holder: Holder): Promise<void> {
    holder.released = true;
    clearTimeout(holder.heartbeat);
    await this.#unlock(holder.keys, holder.owner);
  }

  /** Deletes the lock if `owner` still holds it (never a lock taken over since). Never rejects. */
  async #unlock(keys: SessionKeys, owner: string): Promise<void> {
    try {
      await this.#conn.run('lock', keys.name, (c) => runScript(c, RELEASE, [keys.lock], [owner]));
    } catch {
      // Redis unreachable: the lock expires by its TTL. fn's own result or error is what matters.
    }
  }

  /**
   * Writes the token entry with a TTL (`ttlMs` 0: none), or deletes it when `value` is empty, and
   * bumps the version. From inside withLock on this key, the write is checked against the lock
   * and the version (see WRITE).
   */
  async write(op: 'set' | 'delete', keys: SessionKeys, value: string, ttlMs: number): Promise<void> {
    // Work started inside withLock that goes on after it ended (given up on by a deadline, or
    // not awaited) still carries the released holder in its async context. Written unguarded, it
    // could overwrite whatever the next holder stored: refused like any holder that lost its lock.
    if (this.#held.getStore()?.get(keys.token)?.released) {
      throw new StoreError(
        op,
        `Lock lost: this ${op} of "${keys.name}" came from work that outlived its withLock, ` +
          'so it was refused and the stored token left as it is.',
      );
    }
    const holder = this.#holder(keys);
    const owner = holder?.owner ?? '';
    const send = async () => {
      const args = [value, String(ttlMs), owner, holder?.version ?? '', String(this.#ttlMs)];
      const reply = Number(
        await this.#conn.run(op, keys.name, (c) =>
          runScript(c, WRITE, [keys.token, keys.version, keys.lock], args),
        ),
      );
      if (reply === -1) {
        throw new StoreError(
          op,
          `Lock lost: the lock on "${keys.name}" expired or was taken over before this ${op}, ` +
            'so it was refused and the stored token left as it is. Raise lockTtlMs if the work inside withLock is slow.',
        );
      }
      if (reply === -2) {
        throw new StoreError(
          op,
          `Lock lost: the token under "${keys.name}" was changed outside the lock while it was held, ` +
            `so this ${op} was refused and the newer token kept.`,
        );
      }
      if (holder) holder.version = String(reply);
    };
    if (!holder) return send();
    const result = holder.writes.then(send, send);
    holder.writes = result.catch(() => {});
    return result;
  }
}
