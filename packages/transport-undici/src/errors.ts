// The errors the global fetch gives, so that code (ky's retry policy, core's NetworkError) which
// recognises them recognises ours: a network failure before the response is
// `TypeError('fetch failed')`, one while the body streams is `TypeError('terminated')`, each with
// undici's error as its `cause`. An abort rejects with the signal's reason, unwrapped.

export const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });

export const terminated = (cause: unknown): TypeError => new TypeError('terminated', { cause });
