// A keyv storage adapter (keyv 5.6's `KeyvStoreAdapter`) over one table of a SQLite file. This is
// the part `@keyv/sqlite` would play; it is written here over `node:sqlite` because `@keyv/sqlite`
// needs the native `sqlite3` addon (a compiler or a prebuilt download, and a build per Node major).
// Keyv hands it serialized strings and a TTL; it keeps them with an expiry and forgets them after.
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { Database } from './node-sqlite.js';

export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  /** What keyv shows as the adapter's options. */
  readonly opts: { table: string };
  /** Set by keyv: the prefix of every key it hands us (`<namespace>:`). */
  namespace?: string | undefined;
  readonly #db: Database;
  readonly #table: string;

  /** @param table a plain SQL identifier, created when missing */
  constructor(db: Database, table = 'keyv') {
    super();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new TypeError(`bad table name: ${table}`);
    this.#db = db;
    this.#table = table;
    this.opts = { table };
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER)`,
    );
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.#db.prepare(`SELECT value, expires_at FROM ${this.#table} WHERE key = ?`).get(key) as
      | { value: string; expires_at: number | null }
      | undefined;
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= Date.now()) {
      await this.delete(key);
      return undefined;
    }
    return row.value as StoredData<Value>;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    this.setNow(key, value, ttl);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.deleteNow(key);
  }

  /** `set`, synchronously: for a write that must run inside the caller's transaction (a lease's). */
  setNow(key: string, value: unknown, ttl?: number): void {
    const expiresAt = typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null;
    this.#db
      .prepare(
        `INSERT INTO ${this.#table} (key, value, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      )
      .run(key, String(value), expiresAt);
  }

  /** `delete`, synchronously (see setNow). */
  deleteNow(key: string): boolean {
    return Number(this.#db.prepare(`DELETE FROM ${this.#table} WHERE key = ?`).run(key).changes) > 0;
  }

  /** Removes this keyv namespace's entries only (every entry when keyv gives no namespace). */
  async clear(): Promise<void> {
    if (this.namespace === undefined) this.#db.exec(`DELETE FROM ${this.#table}`);
    else
      this.#db
        .prepare(`DELETE FROM ${this.#table} WHERE substr(key, 1, ?) = ?`)
        .run(this.namespace.length + 1, `${this.namespace}:`);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }
}
