import { describe, expect, it } from 'vitest';
import { withDeadline } from '../src/util/deadline.js';
import { KeyLock } from '../src/util/key-lock.js';

describe('KeyLock', () => {
  it('leaves no bookkeeping once every key is idle', async () => {
    const lock = new KeyLock();
    const runs = Array.from({ length: 200 }, (_, i) =>
      lock.run(`key-${i % 50}`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i % 7 === 0) throw new Error('fn failed');
        return i;
      }),
    );
    expect(lock.size).toBe(50);
    await Promise.allSettled(runs);
    expect(lock.size).toBe(0);
  });

  it('releases when fn throws synchronously', async () => {
    const lock = new KeyLock();
    const boom = new Error('sync');
    await expect(
      lock.run('k', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(lock.size).toBe(0);
    await expect(lock.run('k', async () => 'next')).resolves.toBe('next');
  });

  it('runs waiters in arrival order', async () => {
    const lock = new KeyLock();
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        lock.run('k', async () => {
          await new Promise((resolve) => setTimeout(resolve, 5 - i));
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives up waiting when wait() rejects (a deadline); those behind it still wait for the holder', async () => {
    const lock = new KeyLock();
    let free!: () => void;
    const held = lock.run('k', () => new Promise<void>((resolve) => (free = resolve)));
    const timeout = new Error('waited too long');
    const ran: string[] = [];
    const bounded = lock.run(
      'k',
      async () => void ran.push('bounded'),
      (ahead) => withDeadline(ahead, 20, () => timeout),
    );
    const patient = lock.run('k', async () => void ran.push('patient'));
    await expect(bounded).rejects.toBe(timeout);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual([]); // the holder still holds the key
    free();
    await held;
    await patient;
    expect(ran).toEqual(['patient']);
    expect(lock.size).toBe(0);
  });
});
