import { memoryStore } from '@rc/store-memory';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { locksFor } from '../src/memory-store.js';

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
