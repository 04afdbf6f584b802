import { describe, expect, it } from 'vitest';
import { MAX_EXPIRES_IN, WebhookError } from '../src/index.js';
import { parseInfo, timerDelay } from '../src/wire.js';

// What the server says about a subscription's lifetime is clamped before it becomes a timer: a
// 0, a negative, a NaN or a century must not fire at once forever, or never.

describe('subscription replies', () => {
  it('lifetimes are clamped to 1 s … 10 years', () => {
    const life = (expiresIn: unknown) => parseInfo({ id: 's', status: 'Active', expiresIn }).expiresInSec;
    expect([0, -5, Number.NaN, 'soon', undefined].map(life)).toEqual([1, 1, 1, 1, 1]);
    expect(life(1e12)).toBe(MAX_EXPIRES_IN);
    expect(life(604_800.7)).toBe(604_800);
  });

  it('a reply without an id is a WebhookError', () => {
    expect(() => parseInfo({ status: 'Active' })).toThrow(WebhookError);
    expect(() => parseInfo(null)).toThrow(WebhookError);
  });

  it('timer delays stay within setTimeout’s range', () => {
    expect(timerDelay(-1)).toBe(0);
    expect(timerDelay(MAX_EXPIRES_IN * 1000)).toBe(2 ** 31 - 1);
  });
});
