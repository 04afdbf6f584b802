// The lock every process opening the same SQLite file shares: one row per locked key holding an
// owner id and an expiry. Taking it is one upsert — SQLite runs each statement as a transaction
// holding the database's write lock, so two processes can never both see the row free — and
// releasing it deletes the row only if we still own it. Inside a process, core's KeyLock queues the
// callers first, so only one of them at a time polls the file.
//
// What it guarantees: among processes on one machine sharing the file (not over a network file
// system, where SQLite's file locking is unreliable), one holder per key at a time. A live holder
// renews its row every `ttlMs / 3`; one that crashes blocks the key for at most `ttlMs`. A holder
// that loses the row anyway (a process paused for longer than `ttlMs`, the row taken over or
// deleted) is told: its signal aborts at the next renewal, and its fenced writes (`Held.fenced`)
// check, in the same transaction as the write, that the row is still its own and alive — the
// fencing token of core's lease contract — so it never overwrites the next holder's token.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '@rc/core';
import { KeyLock, safeCause } from '@rc/core/kit';
import type { Database } from './node-sqlite.js';

export interface SqliteLockOptions {
  /** How long a taken lock lasts if its holder never releases it (crashed), in ms. */
  ttlMs: number;
  /** How long `run` waits for a lock held elsewhere before it fails with `StoreError`, in ms. */
  waitMs: number;
}

/** What the holder of a lock gets: the lease's signal, and writes checked against the lock. */
export interface Held {
  /** Aborts when the lock ends: released, found lost by a renewal, or by a fenced write. */
  readonly signal: AbortSignal;
  /** Runs `write` (synchronous SQL) in one transaction with the check that the lock is still ours; `false`, writing nothing, when it is not. */
  fenced(write: () => void): boolean;
}

export class SqliteLock {
  readonly #db: Database;
  readonly #options: SqliteLockOptions;
  readonly #local = new KeyLock();

  constructor(db: Database, options: SqliteLockOptions) {
    this.#db = db;
    this.#options = options;
    db.exec(
      'CREATE TABLE IF NOT EXISTS rc_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)',
    );
  }

  /** Runs `fn` holding the lock `name` for this process and every other one on the file. */
  run<T>(name: string, fn: (held: Held) => Promise<T>): Promise<T> {
    return this.#local.run(name, async () => {
      const owner = randomUUID();
      await this.#acquire(name, owner);
      const controller = new AbortController();
      const end = (why: string) => {
        if (!controller.signal.aborted)
          controller.abort(new StoreError('lock', `Lock lost: "${name}" ${why}`));
      };
      const renew = setInterval(() => {
        try {
          const renewed = this.#db
            .prepare('UPDATE rc_locks SET expires_at = ? WHERE name = ? AND owner = ? AND expires_at > ?')
            .run(Date.now() + this.#options.ttlMs, name, owner, Date.now());
          if (Number(renewed.changes) !== 1) end('was lost: it expired or was taken over');
        } catch {
          end('could not be renewed');
        }
        if (controller.signal.aborted) clearInterval(renew);
      }, this.#options.ttlMs / 3);
      renew.unref(); // the holder's own work keeps the process alive, not its renewals
      const held: Held = {
        signal: controller.signal,
        fenced: (write) => {
          if (!controller.signal.aborted && this.#stillOurs(name, owner, write)) return true;
          end('was lost');
          return false;
        },
      };
      try {
        return await fn(held);
      } finally {
        clearInterval(renew);
        end('ended with its withLock');
        this.#sql('release', name, () =>
          this.#db.prepare('DELETE FROM rc_locks WHERE name = ? AND owner = ?').run(name, owner),
        );
      }
    });
  }

  /**
   * One transaction: if `owner` still holds `name` and its time is not up, runs `write` (synchronous
   * SQL) and commits; else writes nothing. `false` when the lock was no longer ours.
   */
  #stillOurs(name: string, owner: string, write: () => void): boolean {
    this.#sql('check', name, () => this.#db.exec('BEGIN IMMEDIATE'));
    try {
      const row = this.#sql('check', name, () =>
        this.#db
          .prepare('SELECT 1 AS held FROM rc_locks WHERE name = ? AND owner = ? AND expires_at > ?')
          .get(name, owner, Date.now()),
      );
      if (row) write(); // its own errors are the caller's to report (a failed write, not a lock)
      this.#db.exec('COMMIT');
      return row !== undefined;
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // nothing begun, or already rolled back: the error that matters is the first one
      }
      throw error;
    }
  }

  async #acquire(name: string, owner: string): Promise<void> {
    const deadline = Date.now() + this.#options.waitMs;
    let delay = 5;
    for (;;) {
      const now = Date.now();
      // Insert the row, or take it over when its holder's time is up; `changes` is 1 when we got it.
      const taken = this.#sql('take', name, () =>
        this.#db
          .prepare(
            `INSERT INTO rc_locks (name, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
             WHERE rc_locks.expires_at <= ?`,
          )
          .run(name, owner, now + this.#options.ttlMs, now),
      );
      if (Number(taken.changes) === 1) return;
      if (now >= deadline) {
        throw new StoreError(
          'lock',
          `The SQLite store's lock for "${name}" stayed held by another process for ${this.#options.waitMs} ms; retry later.`,
        );
      }
      await sleep(delay + Math.random() * delay); // jitter: waiting processes do not poll in step
      delay = Math.min(delay * 2, 100);
    }
  }

  #sql<T>(step: string, name: string, statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      const cause = safeCause(error);
      throw new StoreError(
        'lock',
        `Could not ${step} the SQLite store's lock for "${name}": ${cause.message}`,
        {
          cause,
        },
      );
    }
  }
}
