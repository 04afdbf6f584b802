// Why this file: a plugin's hooks and transport wrapper see API requests, but not what core does on
// its own — the token requests (they skip plugins' wrappers, see Plugin), the waits for a token, the
// rate limiter's holds, the re-send after a 401. An observer is told of those, as they happen, so a
// tracer (@rc/otel), a metrics exporter or a logger can show them. A client whose plugins have no
// observer builds none: every call site is one `undefined` check.

/** One request core puts on the wire for an API call. */
export interface SendInfo {
  /** ky's request (without the token: core adds it on a private copy). */
  readonly request: Request;
  /** `true` for the re-send with a new token after a 401. */
  readonly unauthorizedRetry: boolean;
  /** Adds a header to the request on the wire (trace context, say). `authorization` is refused. */
  setHeader(name: string, value: string): void;
}

/** What a token request is for. */
export type TokenRequestKind = 'login' | 'refresh' | 'revoke';

/** A request to RingCentral's token or revoke endpoint. */
export interface TokenRequestInfo {
  readonly kind: TokenRequestKind;
  /** The form's `grant_type` (`refresh_token`, `password`, `urn:ietf:params:oauth:grant-type:jwt-bearer`…); none for a revoke. */
  readonly grantType: string | undefined;
}

/** How a token request ended (on failure, `run` rejects with an `OAuthError`, `NetworkError`, `RateLimitError`…). */
export interface TokenRequestResult {
  /** The reply's HTTP status. */
  readonly status: number;
}

/** A wait for a token that is being obtained by someone else, or by this very request. */
export interface TokenWaitInfo {
  /** `'inflight'`: the session's one refresh or login in this process; `'lock'`: the store's lock (another caller or process holds it). */
  readonly reason: 'inflight' | 'lock';
  /** The session's store key. */
  readonly sessionKey: string;
}

/** The rate limiter held a request for its group, then let it go or refused it. */
export interface RateLimitWaitInfo {
  /** ky's request (API calls), or the token request's. */
  readonly request: Request;
  /** The rate-limit group it waited for (`undefined`: a route that met a 429 with no group). */
  readonly group: string | undefined;
  /** When the wait began, in the limiter's clock (epoch ms by default). */
  readonly startedAt: number;
  /** How long it waited, in ms. */
  readonly waitedMs: number;
  /** `'refused'`: the wait would pass `maxWaitMs`: the request fails with `RateLimitError`, unsent. */
  readonly outcome: 'admitted' | 'refused';
}

/**
 * What a plugin may observe of core's own work (`Plugin.observe`). Every member is optional. The
 * "around" members receive `run`, which does the work: call it once and return (or await) what it
 * returns; the work's own result (a token, a response body) is never handed to an observer. An
 * observer that throws breaks the work it wraps: keep it to recording.
 *
 * @example
 * const timing: Plugin = {
 *   name: 'token-timing',
 *   observe: {
 *     async tokenRequest(info, run) {
 *       const t0 = performance.now();
 *       try { return await run(); } finally { console.log(info.kind, performance.now() - t0, 'ms'); }
 *     },
 *   },
 * };
 */
export interface Observer {
  /** Around each request core sends for an API call: the first send and the re-send after a 401; ky's retries are new sends. */
  send?(info: SendInfo, run: () => Promise<Response>): Promise<Response>;
  /** Around each token request (login, refresh, revoke). Its body and headers hold secrets: they are not shown. */
  tokenRequest?(info: TokenRequestInfo, run: () => Promise<TokenRequestResult>): Promise<TokenRequestResult>;
  /** Around a wait for a token: the session's refresh or login in flight, or the store's lock. */
  tokenWait?<T>(info: TokenWaitInfo, run: () => Promise<T>): Promise<T>;
  /** After the rate limiter held a request (never called for a request that went at once). */
  rateLimitWait?(info: RateLimitWaitInfo): void;
}

type Around = 'send' | 'tokenRequest' | 'tokenWait';
type AroundFn<T> = (info: unknown, run: () => Promise<T>) => Promise<T>;

/** The observers of a client's plugins, first plugin first; `undefined` when none observes (then nothing is built). */
export type Observers = readonly Observer[];

export const observersOf = (
  plugins: readonly { readonly observe?: Observer | undefined }[],
): Observers | undefined => {
  const all = plugins.flatMap((p) => (p.observe ? [p.observe] : []));
  return all.length > 0 ? all : undefined;
};

/** Runs `run` inside every observer that has `member` (the first plugin's outermost). */
function around<T>(all: Observers, member: Around, info: unknown, run: () => Promise<T>): Promise<T> {
  return all.reduceRight<() => Promise<T>>((next, o) => {
    const fn = o[member] as AroundFn<T> | undefined;
    return fn ? () => fn.call(o, info, next) : next;
  }, run)();
}

/** Reports a rate-limit wait when it ends, admitted or refused (`RateLimitError`); the wait's own outcome is kept. */
export function observeWait(
  all: Observers,
  request: Request,
  startedAt: number,
  now: () => number,
  group: () => string | undefined,
  wait: Promise<void>,
): Promise<void> {
  const report = (outcome: 'admitted' | 'refused', name: string | undefined) => {
    for (const o of all)
      o.rateLimitWait?.({ request, group: name, startedAt, waitedMs: now() - startedAt, outcome });
  };
  return wait.then(
    () => report('admitted', group()),
    (error: { code?: unknown; group?: string }) => {
      if (error?.code === 'RC_RATE_LIMIT') report('refused', error.group);
      throw error;
    },
  );
}

/** One wire send inside the observers' `send`; the headers they add go on the wire copy only. */
export function observedSend(
  all: Observers,
  request: Request,
  unauthorizedRetry: boolean,
  send: (added: Headers) => Promise<Response>,
): Promise<Response> {
  const added = new Headers();
  const setHeader = (name: string, value: string) => {
    if (name.toLowerCase() !== 'authorization') added.set(name, value);
  };
  return around(all, 'send', { request, unauthorizedRetry, setHeader }, () => send(added));
}

/** A wait for the session's token in flight, inside the observers' `tokenWait` when there are any. */
export const observedTokenWait = <T>(all: Observers | undefined, sessionKey: string, wait: T | Promise<T>) =>
  all ? around(all, 'tokenWait', { reason: 'inflight', sessionKey }, () => Promise.resolve(wait)) : wait;

/**
 * A token request inside the observers' `tokenRequest` when there are any. They see its kind, grant
 * type and status, never its result (the token) nor its form.
 */
export function observedTokenRequest<T>(
  all: Observers | undefined,
  kind: TokenRequestKind,
  grantType: string | undefined,
  run: (seen?: { status: number }) => Promise<T>,
): Promise<T> {
  if (!all) return run();
  let value: T;
  return around(all, 'tokenRequest', { kind, grantType }, async () => {
    const seen = { status: 0 };
    value = await run(seen);
    return seen;
  }).then(() => value);
}

/**
 * Takes the store's lock through `lock`, with the wait for it (until `enter` runs the holder's
 * work, or the lock fails) inside the observers' `tokenWait` when there are any.
 */
export function observedLock<T>(
  all: Observers | undefined,
  sessionKey: string,
  lock: (enter: <R>(work: () => R) => R) => Promise<T>,
): Promise<T> {
  if (!all) return lock((work) => work());
  let entered!: () => void;
  const acquired = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const result = lock((work) => {
    entered();
    return work();
  });
  around(all, 'tokenWait', { reason: 'lock', sessionKey }, () =>
    Promise.race([acquired, result.then(() => undefined)]),
  ).catch(() => undefined);
  return result;
}
