import ky, { type Hooks, type KyInstance } from 'ky';
import type { AuthorizeOptions } from '../client-types.js';
import { REVOKE_PATH, TOKEN_PATH } from '../constants.js';
import { readErrorBody } from '../errors/error-body.js';
import { toNetworkError } from '../errors/network-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { isRcError } from '../errors/rc-error.js';
import { type Observers, observedTokenRequest } from '../observe.js';
import { basicCredentials, SECRET_PARAMS } from '../redact.js';
import type { TokenRequestParams, TokenSet } from '../types.js';
import { parseTokenResponse } from './parse.js';
import { isUnfollowedRedirect, redirectRefused } from './redirect.js';

export interface OAuthEndpointOptions {
  server: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The base transport (the client's `fetch` option, unwrapped by plugins: see client.ts). */
  fetch: typeof fetch;
  timeoutMs: number | false;
  /**
   * Send a token request once more after a 429 (a 429 is never processed, so even a single-use
   * refresh token is still good). Only with a rate limiter in the hooks: it holds the second try
   * until the penalty is over, or refuses it with RateLimitError.
   */
  retryRateLimited: boolean;
  now: () => number;
  /** Plugin hooks (a logger sees token requests too). */
  hooks: Hooks;
  /** The plugins' observers, when any plugin observes: told of every token request. */
  observe?: Observers | undefined;
}

/** The form fields for `authorize()`'s ttl options (RingCentral's names, in seconds). */
const ttlParams = (o: AuthorizeOptions): TokenRequestParams => ({
  access_token_ttl: o.accessTokenTtl === undefined ? undefined : String(o.accessTokenTtl),
  refresh_token_ttl: o.refreshTokenTtl === undefined ? undefined : String(o.refreshTokenTtl),
});

/**
 * The OAuth endpoints: `POST /restapi/oauth/token` and `/restapi/oauth/revoke`, with client
 * authentication. The rest of the client speaks in its own terms (a refresh token, `authorize()`'s
 * options); the forms, and their wire names, are made here. Grants make their own grant's form (the
 * `GrantContext.tokenRequest` contract), completed here. Everything that goes wrong becomes an
 * `OAuthError` or `NetworkError` that holds no secret: the form values and the client secret are
 * scrubbed from any text the server sent.
 */
export class OAuthEndpoint {
  readonly #http: KyInstance;
  readonly #options: OAuthEndpointOptions;
  readonly #basic: string | undefined;

  constructor(options: OAuthEndpointOptions) {
    this.#options = options;
    this.#basic =
      options.clientSecret === undefined
        ? undefined
        : `Basic ${basicCredentials(options.clientId, options.clientSecret)}`;
    // Token requests are never retried by ky (a refresh token is single-use: a replay after a lost
    // reply would be refused anyway) and bypass the plugins' fetch wrappers: a token request that
    // queued behind API requests waiting for that very token would deadlock.
    this.#http = ky.create({
      prefix: options.server,
      fetch: options.fetch,
      timeout: options.timeoutMs,
      retry: 0,
      // Never followed: a 307/308 would re-send the form (password, assertion, refresh token, code
      // and verifier) wherever the reply points, and a 302 would turn it into a GET there whose
      // answer we would take for a token. A 3xx is an OAuthError like any other non-2xx.
      redirect: 'manual',
      throwHttpErrors: false,
      hooks: options.hooks,
    });
  }

  /**
   * Spends `refreshToken` for a new pair, asking again for `options`' lifetimes (the endpoint id
   * stays bound to the session: it is not sent again). `signal` as for {@link grantRequest}.
   */
  refresh(refreshToken: string, options: AuthorizeOptions, signal?: AbortSignal): Promise<TokenSet> {
    return this.#request(
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...ttlParams(options) },
      signal,
    );
  }

  /**
   * A grant's token request (`GrantContext.tokenRequest`): the grant's form, with `options`'
   * lifetimes and endpoint id wherever the grant left them out. `undefined` values are left out.
   * `signal` (the store lease's) stops the request, or keeps it from being sent, once it aborts.
   */
  grantRequest(
    params: TokenRequestParams,
    options: AuthorizeOptions,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    const form: TokenRequestParams = { ...ttlParams(options), endpoint_id: options.endpointId };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form[k] = v;
    return this.#request(form, signal);
  }

  /** POSTs a token request and parses the reply. */
  #request(params: TokenRequestParams, signal?: AbortSignal): Promise<TokenSet> {
    const kind = params.grant_type === 'refresh_token' ? 'refresh' : 'login';
    return observedTokenRequest(this.#options.observe, kind, params.grant_type, (seen) =>
      this.#token(params, signal, seen),
    );
  }

  async #token(
    params: TokenRequestParams,
    signal: AbortSignal | undefined,
    seen?: { status: number },
  ): Promise<TokenSet> {
    const { status, body, redirect } = await this.#post(TOKEN_PATH, params, signal);
    if (seen) seen.status = status;
    if (redirect || status < 200 || status >= 300) throw this.#error(status, body, params, redirect);
    return parseTokenResponse(body, this.#options.now(), status);
  }

  /** Revokes a token (RingCentral ends the whole session: access and refresh token). */
  revoke(token: string): Promise<void> {
    return observedTokenRequest(this.#options.observe, 'revoke', undefined, (seen) =>
      this.#revoke(token, seen),
    );
  }

  async #revoke(token: string, seen?: { status: number }): Promise<void> {
    const { status, body, redirect } = await this.#post(REVOKE_PATH, { token });
    if (seen) seen.status = status;
    if (redirect || status < 200 || status >= 300) throw this.#error(status, body, { token }, redirect);
  }

  async #post(
    path: string,
    params: TokenRequestParams,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: unknown; redirect: boolean }> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#basic) headers.authorization = this.#basic;
    else form.set('client_id', this.#options.clientId);
    // One deadline for the request and its retry after a 429, the rate limiter's wait included
    // (ky's totalTimeout races the hooks too): a refresh token must never be sent after the
    // token manager has given up on the lock, when another holder may be spending it.
    const { timeoutMs } = this.#options;
    const deadline = timeoutMs === false ? undefined : performance.now() + timeoutMs;
    const secrets = this.#secrets(params);
    let response = await this.#send(path, form, headers, deadline, secrets, signal);
    if (response.status === 429 && this.#options.retryRateLimited) {
      await response.body?.cancel().catch(() => undefined);
      response = await this.#send(path, form, headers, deadline, secrets, signal).catch((error: unknown) => {
        // The limiter held back the second try: the first one was sent, and answered 429.
        if (!(error instanceof RateLimitError) || error.sent) throw error;
        const { group, retryAfterMs, method, url, maxWaitMs } = error;
        throw new RateLimitError({ group, retryAfterMs, method, url, maxWaitMs, sentStatus: 429 });
      });
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, redirect: isUnfollowedRedirect(response) };
  }

  async #send(
    path: string,
    form: URLSearchParams,
    headers: Record<string, string>,
    deadline: number | undefined,
    secrets: ReadonlyArray<string | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    try {
      // Aborted by whoever holds the lock (its lease ended): the reason is theirs to report.
      signal?.throwIfAborted();
      const totalTimeout =
        deadline === undefined ? false : Math.max(1, Math.floor(deadline - performance.now()));
      return await this.#http.post(path, {
        body: form,
        headers,
        totalTimeout,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isRcError(error)) throw error; // e.g. RateLimitError from the rate limiter's hook
      if (signal?.aborted && isRcError(signal.reason)) throw signal.reason;
      throw toNetworkError(error, 'POST', `${this.#options.server}/${path}`, undefined, secrets);
    }
  }

  /** The secrets a request with `params` carries (scrub() adds every form they could be quoted in). */
  #secrets(params: TokenRequestParams): (string | undefined)[] {
    const secrets = Object.entries(params)
      .filter(([name]) => SECRET_PARAMS.has(name))
      .map(([, value]) => value);
    secrets.push(this.#options.clientSecret, this.#basic?.slice('Basic '.length));
    return secrets;
  }

  #error(status: number, body: unknown, params: TokenRequestParams, redirect: boolean): OAuthError {
    const secrets = this.#secrets(params);
    if (redirect) return redirectRefused(status);
    const read = readErrorBody(body, secrets);
    return new OAuthError({
      status,
      error:
        read.error ?? (status === 429 ? 'rate_limited' : read.parsed ? 'server_error' : 'invalid_response'),
      ...(read.description ? { errorDescription: read.description } : {}),
      ...(read.errorCode ? { errorCode: read.errorCode } : {}),
    });
  }
}
