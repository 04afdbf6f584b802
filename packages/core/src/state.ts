import type { SharedBudget, StateStore } from './store-capabilities.js';
import type { TokenStore } from './types.js';

const METHODS = ['getState', 'setState', 'deleteState', 'acquireLease', 'releaseLease'] as const;

/**
 * `true` when `store` implements the optional {@link StateStore} capability (all of its methods).
 * Extensions check it once and fall back to process memory when it is missing.
 */
export function supportsState(store: TokenStore): store is TokenStore & StateStore {
  return METHODS.every((name) => typeof store[name] === 'function');
}

/**
 * `true` when `store` shares the rate-limit budget among everyone on it (the optional
 * {@link SharedBudget} capability, `store.budget`). The client's rate limiter checks it once.
 */
export function supportsBudget(store: TokenStore): store is TokenStore & { readonly budget: SharedBudget } {
  return typeof store.budget?.take === 'function';
}
