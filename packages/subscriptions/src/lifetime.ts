// Where the gateway's lifetimes (a connection's `absoluteTimeout`, a subscription's `expiresIn`,
// a ws token's `expires_in`) become timer delays. They are the server's word, and a broken or
// hostile gateway may send 0, a negative number, or ten years: a timer set from such a value
// fires at once (setTimeout runs anything past 2^31-1 ms, 24.8 days, after 1 ms), and a renewal
// that fires at once renews into the next one: thousands a second. So each lifetime is clamped
// here, each delay kept within setTimeout's range, and the caller backs off renewals that come
// too close together.

/** setTimeout's longest delay (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The longest lifetime believed, in seconds: RingCentral's longest subscription (ten years). */
export const MAX_LIFETIME_SEC = 315_360_000;

/** A lifetime in seconds from the wire, within [0, MAX_LIFETIME_SEC]; `undefined` if not a number. */
export function lifetimeSec(value: unknown): number | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  return Math.min(MAX_LIFETIME_SEC, Math.max(0, value));
}

/**
 * When to renew something that lives `lifeSec` more seconds: `beforeMs` ahead of its end (at most
 * half its life), no sooner than `floorMs`, and never beyond setTimeout's range (renewing a
 * ten-year subscription after 24.8 days is harmless; a timer that overflows is not).
 */
export function renewalDelay(lifeSec: number, beforeMs: number, floorMs: number): number {
  const life = lifeSec * 1000;
  const at = life - Math.min(beforeMs, life / 2);
  return Math.floor(Math.min(MAX_TIMER_MS, Math.max(floorMs, at, 0)));
}
