import { ConfigError } from '../errors/config-error.js';
import { toNetworkError } from '../errors/network-error.js';
import type { TokenManager } from '../token/token-manager.js';
import type { Plugin, TokenSet } from '../types.js';
import { abortable } from '../util/abortable.js';

const SLASH = 0x2f;

/**
 * OAuth paths (`/restapi/oauth/wstoken`, say) are sent with `redirect: 'manual'`: their reply is a
 * credential, and a redirect elsewhere would re-send the request there or take that host's answer
 * for one. The 3xx itself comes back (an ApiError). Other API requests follow redirects as fetch
 * does (it drops `Authorization` when one leaves the origin).
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
): Plugin {
  const origin = new URL(server).origin;
  const oauthPrefix = origin + OAUTH_PATH;
  // A Request's URL is serialized (lower-case scheme and host, no default port, no credentials):
  // one that starts with the origin and then '/' is on it, with no URL to parse. Anything else
  // (another port, a longer host, a media server) is decided by parsing.
  const onOrigin = (url: string) => {
    if (url.startsWith(origin) && url.charCodeAt(origin.length) === SLASH) return true;
    const at = new URL(url).origin;
    return at === origin || mediaOrigins.includes(at);
  };
  const where = mediaOrigins.length ? `${origin}, or ${mediaOrigins.join(', ')}` : origin;
  return {
    name: 'auth',
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (!onOrigin(request.url)) {
        throw new ConfigError(
          `refused to send ${request.method} to ${new URL(request.url).origin}: it is not on the client's server (${where}), and the access token goes nowhere else`,
          'url',
        );
      }
      // A request without a body can be re-sent as is; one with a body is cloned up front (its
      // stream is consumed by the first send).
      const spare = request.body ? request.clone() : request;
      const sendInit: RequestInit | undefined = request.url.startsWith(oauthPrefix)
        ? { ...init, redirect: 'manual' }
        : init;
      // A held token is used as is (no promise to wait for); one being obtained is waited for.
      const held = manager.accessToken();
      const token = held instanceof Promise ? await abortable(held, request.signal) : held;
      const response = await send(next, request, sendInit, token);
      // Only a failed reply becomes an error whose body may echo the token: nothing kept otherwise.
      if (!response.ok) sent?.set(response, token.accessToken);
      if (response.status !== 401) return response;
      await response.body?.cancel().catch(() => undefined);
      const renewed = await abortable(manager.onUnauthorized(token), request.signal);
      const retried = await send(next, spare, sendInit, renewed);
      if (!retried.ok) sent?.set(retried, renewed.accessToken);
      return retried;
    },
  };
}

/** Sends `req` with the token, in headers of its own (ky's `req` never carries the token). */
async function send(
  next: typeof fetch,
  req: Request,
  init: RequestInit | undefined,
  token: TokenSet,
): Promise<Response> {
  const headers = new Headers(req.headers);
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
