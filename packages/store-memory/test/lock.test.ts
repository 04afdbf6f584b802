import { memoryStore } from '@rc/store-memory';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyLock, locksFor } from '../src/key-lock.js';

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
});

describe('memoryStore locks', () => {
  it('are shared by stores on one Keyv and namespace, and cleaned up when idle', async () => {
    const keyv = new Keyv();
    const a = memoryStore({ keyv, namespace: 'app' });
    const b = memoryStore({ keyv, namespace: 'app' });
    let inside = 0;
    let max = 0;
    const hold = async () => {
      inside += 1;
      max = Math.max(max, inside);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inside -= 1;
    };
    const held = [a.withLock('user-1', hold), b.withLock('user-1', hold), a.withLock('user-2', hold)];
    expect(locksFor(keyv).size).toBe(2);
    await Promise.all(held);
    expect(max).toBe(2); // user-1 twice in turn, user-2 alongside
    expect(locksFor(keyv).size).toBe(0);
  });

  it('are not shared across namespaces or Keyv instances', async () => {
    const keyv = new Keyv();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = memoryStore({ keyv, namespace: 'one' }).withLock('user-1', () => gate);
    await expect(memoryStore({ keyv, namespace: 'two' }).withLock('user-1', async () => 'ran')).resolves.toBe(
      'ran',
    );
    await expect(memoryStore({ namespace: 'one' }).withLock('user-1', async () => 'ran')).resolves.toBe(
      'ran',
    );
    release();
    await holder;
  });
});
