// The lock every process opening the same SQLite file shares: one row per locked key holding an
// owner id and an expiry. Taking it is one upsert — SQLite runs each statement as a transaction
// holding the database's write lock, so two processes can never both see the row free — and
// releasing it deletes the row only if we still own it. Inside a process, core's KeyLock queues the
// callers first, so only one of them at a time polls the file.
//
// What it guarantees: among processes on one machine sharing the file (not over a network file
// system, where SQLite's file locking is unreliable), one holder per key at a time, as long as each
// holder finishes within `ttlMs`. A holder that crashes blocks the key for at most `ttlMs`. A holder
// that outlives `ttlMs` loses the lock without noticing and may overlap the next one: keep `ttlMs`
// well above the token endpoint's timeout. There is no fencing token.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyLock, StoreError, safeCause } from '@rc/core';
import type { Database } from './node-sqlite.js';

export interface SqliteLockOptions {
  /** How long a taken lock lasts if its holder never releases it (crashed), in ms. */
  ttlMs: number;
  /** How long `run` waits for a lock held elsewhere before it fails with `StoreError`, in ms. */
  waitMs: number;
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
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.#local.run(name, async () => {
      const owner = randomUUID();
      await this.#acquire(name, owner);
      try {
        return await fn();
      } finally {
        this.#sql('release', name, () =>
          this.#db.prepare('DELETE FROM rc_locks WHERE name = ? AND owner = ?').run(name, owner),
        );
      }
    });
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
