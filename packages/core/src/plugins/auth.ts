import type { Options } from 'ky';
import { ConfigError } from '../errors/config-error.js';
import { toNetworkError } from '../errors/network-error.js';
import { type Observers, observedSend, observedTokenWait } from '../observe.js';
import { isUnfollowedRedirect, redirectRefused } from '../token/redirect.js';
import type { TokenManager } from '../token/token-manager.js';
import type { Plugin, TokenSet } from '../types.js';
import { abortable } from '../util/abortable.js';

const SLASH = 0x2f;

/**
 * OAuth paths (`/restapi/oauth/wstoken`, say) are sent with `redirect: 'manual'`: their reply is a
 * credential, and a redirect elsewhere would re-send the request there or take that host's answer
 * for one. A 3xx (or a browser's opaque redirect) is an OAuthError, as from the token endpoint.
 * Other API requests follow redirects as fetch does (it drops `Authorization` when one leaves the
 * origin).
 */
const OAUTH_PATH = '/restapi/oauth/';

/**
 * Core's own authentication, a plugin like any other. It works at the transport (`Plugin.fetch`)
 * rather than in ky hooks, so that:
 * - the bearer token is set on a private copy of the request: ky's request objects (which end up
 *   in ky's errors) never carry it;
 * - a 401 is answered by one re-send of a copy made before the first send, without ky.retry()
 *   (which would count against `retry.limit`, wait 300 ms, and fail outright with `retry: 0`);
 * - it is the last thing before the wire, so whatever built the URL (a path, ky's `prefix` or
 *   `baseUrl` per call, `rc.http.extend()`, a `URL` or `Request`), the token is attached only to a
 *   request for the client's own server origin, or a media server of it (`mediaServers`, and
 *   RingCentral's built in). Any other origin is refused with `ConfigError`
 *   before anything is sent: a request meant for another host must not go out, with or without
 *   credentials, as if it were an API call. Redirects are fetch's: it drops `Authorization` when
 *   a redirect leaves the origin (Fetch standard, "HTTP-redirect fetch").
 */
export function authPlugin(
  manager: TokenManager,
  server: string,
  /** Which access token went out with each response's request (for the errors plugin's scrubbing). */
  sent?: WeakMap<Response, string>,
  /** Other origins the token goes to: the media servers that serve the server's content. */
  mediaOrigins: readonly string[] = [],
  /** The plugins' observers, when any plugin observes (see observe.ts). */
  observe?: Observers,
): Plugin {
  const origin = new URL(server).origin;
  const oauthPrefix = (origin + OAUTH_PATH).toLowerCase();
  // A Request's URL is serialized (lower-case scheme and host, no default port, no credentials):
  // one that starts with the origin and then '/' is on it, with no URL to parse. Anything else
  // (another port, a longer host, a media server) is decided by parsing.
  const onOrigin = (url: string) => {
    if (url.startsWith(origin) && url.charCodeAt(origin.length) === SLASH) return true;
    const at = new URL(url).origin;
    return at === origin || mediaOrigins.includes(at);
  };
  const where = mediaOrigins.length ? `${origin}, or ${mediaOrigins.join(', ')}` : origin;
  // The body each request was made from, when it can be read again (see replayable()).
  const sources = new WeakMap<Request, BodyInit>();
  return {
    name: 'auth',
    hooks: {
      init: [skipNeedlessClone],
      beforeRequest: [
        ({ request, options }) => {
          if (replayable(options.body)) sources.set(request, options.body);
        },
      ],
    },
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (!onOrigin(request.url)) {
        throw new ConfigError(
          `refused to send ${request.method} to ${new URL(request.url).origin}: it is not on the client's server (${where}), and the access token goes nowhere else`,
          'url',
        );
      }
      // A request without a body can be re-sent as is; one made from a body that can be read again
      // (a Blob, FormData, text) is rebuilt from it if needed; any other (a stream) is cloned up
      // front, since the first send consumes it. A clone tees the stream: every byte sent stays in
      // memory until the call ends, which is why a Blob of 256 MiB must not be cloned.
      const source = sources.get(request);
      const spare = request.body && source === undefined ? request.clone() : request;
      // Paths compared without case: a server that routes `/RESTAPI/OAUTH/` the same is held too.
      const oauth = request.url.slice(0, oauthPrefix.length).toLowerCase() === oauthPrefix;
      const sendInit: RequestInit | undefined = oauth ? { ...init, redirect: 'manual' } : init;
      // A held token is used as is (no promise to wait for); one being obtained is waited for.
      const held = manager.accessToken();
      const token =
        held instanceof Promise
          ? await observedTokenWait(observe, manager.key, abortable(held, request.signal))
          : held;
      const response = await (observe
        ? observedSend(observe, request, false, (h) => send(next, request, sendInit, token, h))
        : send(next, request, sendInit, token));
      // Only a failed reply (or a batch's 207, whose parts may have failed) becomes an error whose
      // body may echo the token: nothing kept otherwise.
      if (oauth) await refuseRedirect(response);
      if (mayFail(response)) sent?.set(response, token.accessToken);
      if (response.status !== 401) return response;
      await response.body?.cancel().catch(() => undefined);
      const renewed = await abortable(manager.onUnauthorized(token), request.signal);
      const again = source === undefined ? spare : rebuild(request, source);
      const retried = await (observe
        ? observedSend(observe, request, true, (h) => send(next, again, sendInit, renewed, h))
        : send(next, again, sendInit, renewed));
      if (oauth) await refuseRedirect(retried);
      if (mayFail(retried)) sent?.set(retried, renewed.accessToken);
      return retried;
    },
  };
}

/** An OAuth path's unfollowed redirect ends the call: nothing is re-sent, the reply is not read. */
async function refuseRedirect(response: Response): Promise<void> {
  if (!isUnfollowedRedirect(response)) return;
  await response.body?.cancel().catch(() => undefined);
  throw redirectRefused(response.status);
}

/** ky's default `retry.methods`: the ones it may send again after an error. */
const KY_RETRY_METHODS = ['get', 'put', 'head', 'delete', 'options', 'trace'];

/** A body that fetch can read again from its source: everything but a stream. */
function replayable(body: Options['body']): body is BodyInit {
  return body !== undefined && body !== null && !(body instanceof ReadableStream);
}

/**
 * ky clones every request whose `retry.limit` is above 0, for a retry, even when its method is one
 * it never retries (a POST): for an upload, that clone's tee holds the whole body in memory. Such a
 * request gets `limit: 0`, which changes nothing else: ky would not have retried it.
 */
function skipNeedlessClone(options: Options): void {
  const { retry, method = 'get' } = options;
  if (!replayable(options.body) || retry === undefined) return;
  const given = typeof retry === 'number' ? { limit: retry } : retry;
  const methods = given.methods?.map((m) => m.toLowerCase()) ?? KY_RETRY_METHODS;
  if (!methods.includes(method.toLowerCase())) options.retry = { ...given, limit: 0 };
}

/** A request to send again, its body read anew from `source` (FormData gets a new boundary). */
function rebuild(request: Request, source: BodyInit): Request {
  const headers = new Headers(request.headers);
  if (source instanceof FormData) headers.delete('content-type');
  return new Request(request, { body: source, headers });
}

/** A reply that is, or holds, an error: not ok, or a multi-status (a batch's parts). */
const mayFail = (response: Response): boolean => !response.ok || response.status === 207;

/** Sends `req` with the token, in headers of its own (ky's `req` never carries the token). */
async function send(
  next: typeof fetch,
  req: Request,
  init: RequestInit | undefined,
  token: TokenSet,
  added?: Headers,
): Promise<Response> {
  const headers = new Headers(req.headers);
  for (const [name, value] of added ?? []) headers.set(name, value);
  headers.set('authorization', `Bearer ${token.accessToken}`);
  try {
    // The headers go in `init`: fetch builds the one Request that carries them, and ky's request
    // object stays without the token.
    return await next(req, { ...init, headers });
  } catch (error) {
    // An abort of the request's signal (the caller's, or ky's timeout) stays what it is; anything
    // else the transport threw (an AbortError nobody asked for included) is a network failure,
    // reported without the request (whose headers hold the token) and scrubbed of the token.
    if (req.signal.aborted) throw error;
    throw toNetworkError(error, req.method, req.url, false, [token.accessToken]);
  }
}
