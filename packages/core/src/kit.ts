// @rc/core/kit: the toolkit for authors of stores, grants, plugins and extensions — what our own
// store, subscription and webhook packages are built with. Apps need none of it: their face is
// `@rc/core`. Every name here is a semver promise too, made to extension authors.

export { requestSecrets } from './errors/request-secrets.js';
export { safeCause } from './errors/safe-cause.js';
export { scrub } from './redact.js';
export { supportsBudget, supportsState } from './state.js';
export type { TokenSetCheck } from './token/check.js';
export { checkTokenSet, isTokenSet, tokenStoreTtl } from './token/check.js';
export { normalizeTokenInput, parseTokenResponse } from './token/parse.js';
export type { TokenWrite } from './token/store-policy.js';
export { corruptToken, tokenRead, tokenWrite } from './token/store-policy.js';
export { abortable } from './util/abortable.js';
export { backoffDelay, jitter } from './util/backoff.js';
export { checkOptions, optionNames } from './util/check-options.js';
export { withDeadline } from './util/deadline.js';
export { checkEventFilters } from './util/event-filters.js';
export { KeyLock } from './util/key-lock.js';
export type { LeaseElectionOptions } from './util/lease-election.js';
export { LeaseElection, MAX_TIMER_MS } from './util/lease-election.js';
export type { LeaseWrites, LocalLeaseOptions } from './util/local-lease.js';
export { leaseEnded, runWithLocalLease } from './util/local-lease.js';
export { isLoopbackHost } from './util/loopback.js';
export { timingSafeEqual } from './util/timing-safe-equal.js';
