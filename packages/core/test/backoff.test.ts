import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/util/backoff.js';

describe('backoffDelay', () => {
  it('doubles from the base, stays under the cap, and is jittered within [ceiling/2, ceiling]', () => {
    for (const [attempt, ceiling] of [
      [0, 100],
      [1, 200],
      [3, 800],
      [10, 5_000],
      [1_000, 5_000],
    ] as const) {
      const delays = Array.from({ length: 200 }, () => backoffDelay(attempt, 100, 5_000));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
  });
});
