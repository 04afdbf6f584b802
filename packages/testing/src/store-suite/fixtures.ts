import { randomBytes } from 'node:crypto';
import type { TokenSet } from '@rc/core';

// Fixtures are built fresh for every case (never shared objects), so a store that keeps a reference
// to what it was given cannot make one case pass or fail because of another.

const HOUR = 3_600_000;

/** A namespace no other run will use: suites run in parallel against one shared backend. */
export function randomNamespace(): string {
  return `rc-suite-${randomBytes(6).toString('hex')}`;
}

/** A random opaque string shaped like a RingCentral token (fake, never valid anywhere). */
function fakeSecret(prefix: string): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

/** A TokenSet with every field set, valid for an hour (its refresh token for a week). */
export function fullToken(now = Date.now()): TokenSet {
  return {
    accessToken: fakeSecret('at'),
    tokenType: 'bearer',
    expiresAt: now + HOUR,
    refreshToken: fakeSecret('rt'),
    refreshTokenExpiresAt: now + 168 * HOUR,
    scope: 'ReadAccounts CallControl',
    ownerId: '123456789',
    endpointId: 'Yb5-Vb2mQ4uqFbdbZQ0vdQ',
  };
}

/** A TokenSet with only the required fields (no refresh token), valid for an hour. */
export function minimalToken(now = Date.now()): TokenSet {
  return { accessToken: fakeSecret('at'), tokenType: 'bearer', expiresAt: now + HOUR };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise, and the function that resolves it (Promise.withResolvers needs Node 22). */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Resolves as `promise` does, or rejects with `message` after `ms`: a broken lock must fail its
 * case quickly and clearly, not hang until the runner's timeout.
 */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (no answer within ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
