// The addresses createClient() is given — the server, media servers, the redirect URI — checked
// when the client is made: the token goes to the first two, and a bad address found on the first
// request would be found too late.
import { MEDIA_SERVERS } from '../constants.js';
import { isLoopbackHost } from '../util/loopback.js';
import { refuse } from './refuse.js';

/** The dangerous redirect URI schemes: script, inline documents, local files. */
const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);

/** An absolute http(s) URL without query, fragment or credentials; plain http only to loopback. */
function checkHttpUrl(value: unknown, option: string, allowInsecureHttp: boolean): URL {
  let url: URL | undefined;
  if (typeof value === 'string' && URL.canParse(value)) url = new URL(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return refuse(option, `\`${option}\` must be an absolute http(s) URL`);
  if (url.search || url.hash || url.username || url.password) {
    return refuse(option, `\`${option}\` must not carry a query, fragment or credentials`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    return refuse(
      option,
      'plain http is refused for hosts other than loopback; use https or set `allowInsecureHttp: true`',
    );
  }
  return url;
}

export function checkServer(server: unknown, allowInsecureHttp: boolean): string {
  if (typeof server !== 'string' || server === '')
    return refuse('server', '`server` is required (e.g. SERVER_PRODUCTION)');
  return checkHttpUrl(server, 'server', allowInsecureHttp).href.replace(/\/+$/, '');
}

/**
 * The origins the token goes to besides the server: RingCentral's media server for a known server,
 * and the `mediaServers` given (origins only: the token goes to the whole origin, so a path would
 * promise a limit that is not kept).
 */
export function checkMediaServers(given: unknown, server: string, allowInsecureHttp: boolean): string[] {
  const origins = new Set<string>();
  const known = MEDIA_SERVERS[new URL(server).origin];
  if (known) origins.add(known);
  if (given === undefined) return [...origins];
  if (!Array.isArray(given)) return refuse('mediaServers', '`mediaServers` must be an array of origins');
  for (const value of given) {
    const url = checkHttpUrl(value, 'mediaServers', allowInsecureHttp);
    if (url.pathname !== '/')
      refuse('mediaServers', '`mediaServers` holds origins only (https://host[:port]), without a path');
    origins.add(url.origin);
  }
  return [...origins];
}

/** An absolute URL whose scheme is not one that runs script or reads local data. */
export function checkRedirectUri(redirectUri: unknown): void {
  if (redirectUri === undefined) return;
  const url = typeof redirectUri === 'string' && URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
  if (!url) {
    refuse('redirectUri', '`redirectUri` must be an absolute URL');
    return;
  }
  // An app scheme (com.example.app:/callback) is fine; a script or an inline document is not.
  if (UNSAFE_SCHEMES.has(url.protocol))
    refuse(
      'redirectUri',
      `\`redirectUri\` must not use the ${url.protocol} scheme (use https, or an app scheme)`,
    );
}
