// Loads Node's built-in SQLite (`node:sqlite`, no native addon to build: the same code runs on every
// Node from 22.13 on). Node 22 still prints "ExperimentalWarning: SQLite is an experimental feature"
// when the module loads; this file silences that one warning, and only while it loads, so a server's
// logs (and the tests' output) stay clean. Every other warning passes through untouched.
import { createRequire } from 'node:module';

type NodeSqlite = typeof import('node:sqlite');

function loadQuietly(): NodeSqlite {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const message = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && /SQLite/.test(message)) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return createRequire(import.meta.url)('node:sqlite') as NodeSqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
}

export const { DatabaseSync } = loadQuietly();
export type Database = InstanceType<typeof DatabaseSync>;
