export type { SqliteStore, SqliteStoreOptions } from './sqlite-store.js';
export { sqliteStore } from './sqlite-store.js';
