// The rate limiter's on-demand chunks made controllable for tests (rate-limit-chunks*.test.ts):
// each chunk fails while its `failures` is above 0 (a failed fetch takes a moment, so a loop of
// failing imports would not starve the test's timers), waits for its `gate` when one is set, and
// counts its loads. A test file mocks the two modules with `load` (vitest keeps one instance of a
// module per file: a chunk loaded once stays loaded in that file).
import { memoryStore } from '@rc/store-memory';

export interface Chunk {
  failures: number;
  loads: number;
  gate: Promise<void> | undefined;
}

export const chunks = {
  table: { failures: 0, loads: 0, gate: undefined } as Chunk,
  budget: { failures: 0, loads: 0, gate: undefined } as Chunk,
};

/** Every chunk back to loading at once (for a `beforeEach`; a loaded chunk stays loaded). */
export function resetChunks(): void {
  for (const c of [chunks.table, chunks.budget]) Object.assign(c, { failures: 0, loads: 0, gate: undefined });
}

/** A vi.mock factory for a chunk: loads the real module unless the chunk is made to fail. */
export const load =
  (c: Chunk) =>
  async (importOriginal: () => Promise<unknown>): Promise<unknown> => {
    c.loads++;
    await c.gate;
    if (c.failures <= 0) return importOriginal();
    c.failures--;
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new TypeError('Failed to fetch dynamically imported module');
  };

export const HEAVY = '/restapi/v1.0/account/~/extension/~/call-log';
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A gate a chunk's load waits at until `open()`. */
export function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

/** A memoryStore whose budget counts the store calls. */
export function countingStore() {
  const store = memoryStore();
  const take = store.budget!.take.bind(store.budget);
  const counts = { takes: 0 };
  const counted = Object.assign(Object.create(null), store, {
    budget: {
      take: (...args: Parameters<typeof take>) => {
        counts.takes++;
        return take(...args);
      },
    },
  });
  return { store: counted as typeof store, counts };
}
