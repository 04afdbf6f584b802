import { ApiError } from '@rc/core';
import { MAX_TIMER_MS } from '@rc/core/kit';
import { WebhookError } from './errors.js';
import { MAX_EXPIRES_IN } from './webhook-options.js';

// The only reader and writer of the subscription resource's wire shapes, and the clamp on what
// the server says about lifetimes (a 0, a negative, a NaN or a century must not become a timer
// that fires at once forever, or never).

export const SUBSCRIPTION_PATH = '/restapi/v1.0/subscription';

export interface SubscriptionInfo {
  id: string;
  /** `Active`, `Blacklisted`, or whatever else RingCentral reports. */
  status: string;
  /** The lifetime left, in s, clamped to 1 … 315360000. */
  expiresInSec: number;
}

export function createBody(o: {
  address: string;
  eventFilters: string[];
  verificationToken: string | undefined;
  expiresIn: number;
}) {
  return {
    eventFilters: o.eventFilters,
    expiresIn: o.expiresIn,
    deliveryMode: {
      transportType: 'WebHook' as const,
      address: o.address,
      ...(o.verificationToken === undefined ? {} : { verificationToken: o.verificationToken }),
    },
  };
}

export const updateBody = (eventFilters: string[], expiresIn: number) => ({ eventFilters, expiresIn });

/** Reads a subscription reply; a reply without an id is a WebhookError. */
export function parseInfo(value: unknown): SubscriptionInfo {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id === '')
    throw new WebhookError('RingCentral answered a subscription request without a subscription id');
  const raw = Number(v.expiresIn);
  const expiresInSec = Number.isFinite(raw) ? Math.min(MAX_EXPIRES_IN, Math.max(1, Math.floor(raw))) : 1;
  return { id: v.id, status: typeof v.status === 'string' ? v.status : 'Active', expiresInSec };
}

/** `true` for RingCentral's "no such subscription" (deleted, expired and swept). */
export const isGone = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

/** A delay for setTimeout: never negative, never past its 2^31-1 ms limit (it would fire at once). */
export const timerDelay = (ms: number): number => Math.min(MAX_TIMER_MS, Math.max(0, Math.floor(ms)));
