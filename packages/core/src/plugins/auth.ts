import { ConfigError } from '../errors/config-error.js';
import { toNetworkError } from '../errors/network-error.js';
import type { TokenManager } from '../token/token-manager.js';
import type { Plugin, TokenSet } from '../types.js';
import { abortable } from '../util/abortable.js';

/**
 * Core's own authentication, a plugin like any other. It works at the transport (`Plugin.fetch`)
 * rather than in ky hooks, so that:
 * - the bearer token is set on a private copy of the request: ky's request objects (which end up
 *   in ky's errors) never carry it;
 * - a 401 is answered by one re-send of a copy made before the first send, without ky.retry()
 *   (which would count against `retry.limit`, wait 300 ms, and fail outright with `retry: 0`);
 * - it is the last thing before the wire, so whatever built the URL (a path, ky's `prefix` or
 *   `baseUrl` per call, `rc.http.extend()`, a `URL` or `Request`), the token is attached only to a
 *   request for the client's own server origin. Any other origin is refused with `ConfigError`
 *   before anything is sent: a request meant for another host must not go out, with or without
 *   credentials, as if it were an API call. Redirects are fetch's: it drops `Authorization` when
 *   a redirect leaves the origin (Fetch standard, "HTTP-redirect fetch").
 */
export function authPlugin(
  manager: TokenManager,
  server: string,
  /** Which access token went out with each response's request (for the errors plugin's scrubbing). */
  sent?: WeakMap<Response, string>,
): Plugin {
  const origin = new URL(server).origin;
  return {
    name: 'auth',
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (new URL(request.url).origin !== origin) {
        throw new ConfigError(
          `refused to send ${request.method} to ${new URL(request.url).origin}: it is not on the client's server (${origin}), and the access token goes nowhere else`,
          'url',
        );
      }
      // A request without a body can be re-sent as is; one with a body is cloned up front (its
      // stream is consumed by the first send).
      const spare = request.body ? request.clone() : request;
      const send = async (req: Request, token: TokenSet) => {
        const headers = new Headers(req.headers);
        headers.set('authorization', `Bearer ${token.accessToken}`);
        try {
          // The headers go in `init`: fetch builds the one Request that carries them, and ky's
          // request object stays without the token.
          const response = await next(req, { ...init, headers });
          sent?.set(response, token.accessToken);
          return response;
        } catch (error) {
          // An abort (the caller's signal, or ky's timeout) stays what it is; anything else is a
          // network failure, reported without the request (whose headers hold the token).
          if ((error as Error)?.name === 'AbortError') throw error;
          throw toNetworkError(error, req.method, req.url);
        }
      };
      const token = await abortable(manager.accessToken(), request.signal);
      const response = await send(request, token);
      if (response.status !== 401) return response;
      await response.body?.cancel().catch(() => undefined);
      return send(spare, await abortable(manager.onUnauthorized(token), request.signal));
    },
  };
}
