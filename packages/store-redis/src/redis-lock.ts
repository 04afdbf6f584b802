import { randomBytes } from 'node:crypto';
import { ConfigError, type Lease, StoreError, type TokenSet } from '@rc/core';
import { jitter, KeyLock, leaseEnded, withDeadline } from '@rc/core/kit';
import type { Connection } from './connection.js';
import type { SessionKeys } from './keys.js';
import type { ResolvedOptions } from './options.js';
import { ACQUIRE, EXTEND, RELEASE, runScript, WRITE } from './scripts.js';

// The distributed lock: `SET lock owner NX PX ttl` with a random owner, released by a Lua
// compare-and-delete, renewed by a compare-and-PEXPIRE heartbeat while fn runs.
//
// Waiting. Waiters in this process queue behind each other per key (core's KeyLock) and send
// nothing; only the head of the queue asks Redis, retrying with capped exponential backoff and
// jitter (20 ms doubling up to lockTtlMs/10, at most 500 ms; never past the holder's remaining
// TTL, so a crashed holder's lock is taken soon after it expires). That is a handful of commands
// per second per waiting process, with no extra connection. Pub/sub on release was the
// alternative: it needs a subscriber connection per store (per shard on a cluster), and a
// notification lost to a reconnect would still need this polling as a fallback.
//
// The lease. withLock hands fn a lease (core's Lease): its writes run WRITE with the holder's
// owner id and the version it last saw, so the lock check and the write are one Lua call — a
// fencing token. Its signal aborts when the lease ends: fn settled, a heartbeat found the lock
// taken over, Redis did not confirm the lock for a whole lockTtlMs (it may have expired), or a
// write was refused. After that the lease sends nothing. A plain set()/delete() (no lease) writes
// unconditionally and bumps the version, so a holder that was written around is refused too.

const INITIAL_DELAY_MS = 20;
const STORE = 'the Redis store';
const MAX_DELAY_MS = 500;

interface Holder {
  readonly keys: SessionKeys;
  readonly owner: string;
  /** The session's version as this holder last saw or wrote it. */
  version: string;
  /** Aborted when the lease ends, for whatever reason; nothing is sent after that. */
  readonly controller: AbortController;
  /** Why the lease ended, for the refusals of later writes. */
  endedWhy: string | undefined;
  heartbeat: ReturnType<typeof setTimeout> | undefined;
  /** Fires when Redis has not confirmed the lock for lockTtlMs: it may have expired. */
  expiry: ReturnType<typeof setTimeout> | undefined;
  /** The holder's writes, chained so each one checks against the version the previous wrote. */
  writes: Promise<unknown>;
}

/** What a lease writes: the encoded entry and its TTL (0: none), or '' to delete. */
export type PrepareWrite = (token: TokenSet) => Promise<{ value: string; ttlMs: number }>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisLock {
  readonly #conn: Connection;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #maxDelayMs: number;
  /** Each key's in-process queue of waiters (core's KeyLock, bounded by lockWaitMs). */
  readonly #queue = new KeyLock();

  constructor(conn: Connection, options: ResolvedOptions) {
    this.#conn = conn;
    this.#ttlMs = options.lockTtlMs;
    this.#waitMs = options.lockWaitMs;
    this.#maxDelayMs = Math.min(MAX_DELAY_MS, Math.max(INITIAL_DELAY_MS, Math.floor(options.lockTtlMs / 10)));
  }

  async withLock<T>(keys: SessionKeys, fn: (lease: Lease) => Promise<T>, prepare: PrepareWrite): Promise<T> {
    if (typeof fn !== 'function') throw new ConfigError('redisStore: withLock needs a function', 'fn');
    const deadline = Date.now() + this.#waitMs;
    const wait = (ahead: Promise<void>) => withDeadline(ahead, this.#waitMs, () => this.#timeout(keys));
    return this.#queue.run(
      keys.token,
      async () => {
        const holder = await this.#acquire(keys, deadline);
        const lease: Lease = {
          key: keys.name,
          signal: holder.controller.signal,
          set: async (token) => {
            this.#live(holder, 'set');
            const { value, ttlMs } = await prepare(token);
            return this.write('set', keys, value, ttlMs, holder);
          },
          delete: () => this.write('delete', keys, '', 0, holder),
        };
        try {
          return await fn(lease);
        } finally {
          await this.#release(holder);
        }
      },
      wait,
    );
  }

  /** Ends the lease (once): aborts its signal, says why, stops its timers. */
  #end(holder: Holder, why: string): void {
    clearTimeout(holder.heartbeat);
    clearTimeout(holder.expiry);
    if (holder.endedWhy !== undefined) return;
    holder.endedWhy = why;
    holder.controller.abort(leaseEnded('lock', STORE, holder.keys.name, why));
  }

  /** Throws the refusal for `op` once the lease has ended: nothing is sent for it. */
  #live(holder: Holder, op: 'set' | 'delete'): void {
    if (holder.endedWhy !== undefined) throw leaseEnded(op, STORE, holder.keys.name, holder.endedWhy);
  }

  /** Redis confirmed the lock at `sentAt` (performance.now() when the command left): it lives lockTtlMs from then. */
  #confirmed(holder: Holder, sentAt: number): void {
    clearTimeout(holder.expiry);
    holder.expiry = setTimeout(
      () => this.#end(holder, 'may have expired: Redis did not confirm it for lockTtlMs'),
      Math.max(0, sentAt + this.#ttlMs - performance.now()),
    );
    holder.expiry.unref();
  }

  async #acquire(keys: SessionKeys, deadline: number): Promise<Holder> {
    const owner = randomBytes(16).toString('hex');
    const ttl = String(this.#ttlMs);
    for (let delay = INITIAL_DELAY_MS; ; delay = Math.min(delay * 2, this.#maxDelayMs)) {
      let reply: [number, string | number];
      const sentAt = performance.now();
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
          controller: new AbortController(),
          endedWhy: undefined,
          heartbeat: undefined,
          expiry: undefined,
          writes: Promise.resolve(),
        };
        this.#confirmed(holder, sentAt);
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

  /** Schedules the next heartbeat: every lockTtlMs/3, only while the lease lives (nothing when idle). */
  #beat(holder: Holder): void {
    holder.heartbeat = setTimeout(
      async () => {
        if (holder.endedWhy !== undefined) return;
        const sentAt = performance.now();
        try {
          const extended = await this.#conn.run('lock', holder.keys.name, (c) =>
            runScript(
              c,
              EXTEND,
              [holder.keys.lock, holder.keys.version],
              [holder.owner, String(this.#ttlMs)],
            ),
          );
          if (Number(extended) !== 1) {
            this.#end(holder, 'was lost: it expired or was taken over');
            return;
          }
          if (holder.endedWhy === undefined) this.#confirmed(holder, sentAt);
        } catch {
          // Redis unreachable for this beat: try again next period. If no beat gets through for
          // lockTtlMs, the expiry timer ends the lease (see #confirmed).
        }
        if (holder.endedWhy === undefined) this.#beat(holder);
      },
      Math.floor(this.#ttlMs / 3),
    );
    // The holder's own work keeps the process alive; the heartbeat must not outlive it.
    holder.heartbeat.unref();
  }

  async #release(holder: Holder): Promise<void> {
    this.#end(holder, 'ended with its withLock');
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
   * bumps the version. Through a lease (`holder`), the write is checked against the lock and the
   * version in the same Lua call (see WRITE); a refusal ends the lease. Without one, it is plain.
   */
  async write(
    op: 'set' | 'delete',
    keys: SessionKeys,
    value: string,
    ttlMs: number,
    holder?: Holder,
  ): Promise<void> {
    const send = async () => {
      if (holder) this.#live(holder, op);
      const args = [value, String(ttlMs), holder?.owner ?? '', holder?.version ?? '', String(this.#ttlMs)];
      const reply = Number(
        await this.#conn.run(op, keys.name, (c) =>
          runScript(c, WRITE, [keys.token, keys.version, keys.lock], args),
        ),
      );
      if (holder && reply < 0) {
        this.#end(
          holder,
          reply === -1
            ? 'was lost before this write: it expired or was taken over (raise lockTtlMs if the work inside withLock is slow)'
            : 'was written around: the token was changed outside the lock while it was held',
        );
        this.#live(holder, op);
      }
      if (holder) holder.version = String(reply);
    };
    if (!holder) return send();
    const result = holder.writes.then(send, send);
    holder.writes = result.catch(() => {});
    return result;
  }
}
