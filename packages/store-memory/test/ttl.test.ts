import { memoryStore } from '@rc/store-memory';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';

// The conformance suite checks expiry through get(); these check the keyv TTL itself, so entries
// also leave a backend that expires keys on its own (and memory is not held by dead tokens).

const HOUR = 3_600_000;

async function storedExpiry(token: Parameters<ReturnType<typeof memoryStore>['set']>[1]) {
  const keyv = new Keyv();
  await memoryStore({ keyv, namespace: 'app' }).set('user-1', token);
  return keyv.getRaw('rc:app:user-1');
}

describe('memoryStore keyv TTL', () => {
  it('is the refresh token lifetime when there is a refresh token', async () => {
    const now = Date.now();
    const raw = await storedExpiry({
      accessToken: 'a',
      tokenType: 'bearer',
      expiresAt: now + HOUR,
      refreshToken: 'r',
      refreshTokenExpiresAt: now + 24 * HOUR,
    });
    expect(raw?.expires).toBeGreaterThanOrEqual(now + 24 * HOUR - 50);
    expect(raw?.expires).toBeLessThanOrEqual(now + 24 * HOUR + 50);
  });

  it('is the access token lifetime when there is no refresh token', async () => {
    const now = Date.now();
    const raw = await storedExpiry({ accessToken: 'a', tokenType: 'bearer', expiresAt: now + HOUR });
    expect(raw?.expires).toBeGreaterThanOrEqual(now + HOUR - 50);
    expect(raw?.expires).toBeLessThanOrEqual(now + HOUR + 50);
  });

  it('is unset for a refresh token of unknown lifetime', async () => {
    const raw = await storedExpiry({
      accessToken: 'a',
      tokenType: 'bearer',
      expiresAt: Date.now() - 1,
      refreshToken: 'r',
    });
    expect(raw?.value).toBeDefined();
    expect(raw?.expires).toBeUndefined();
  });

  it('an already expired token is not stored, and removes the previous one', async () => {
    const keyv = new Keyv();
    const store = memoryStore({ keyv, namespace: 'app' });
    await store.set('user-1', { accessToken: 'a', tokenType: 'bearer', expiresAt: Date.now() + HOUR });
    await store.set('user-1', { accessToken: 'b', tokenType: 'bearer', expiresAt: Date.now() - 1 });
    expect(await keyv.getRaw('rc:app:user-1')).toBeUndefined();
  });
});
