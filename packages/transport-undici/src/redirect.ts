// Redirects as the Fetch standard's "HTTP-redirect fetch" follows them (what ky expects of fetch):
// at most 20, 303 (and 301/302 after a POST) become a bodiless GET, a 307/308 re-sends the body
// (a streamed one cannot be re-sent: that is a network error), and credentials are dropped when the
// redirect leaves the origin.
// https://fetch.spec.whatwg.org/#http-redirect-fetch
import { fetchFailed } from './errors.js';
import type { Outgoing } from './request.js';

export const MAX_REDIRECTS = 20;

const REDIRECT = new Set([301, 302, 303, 307, 308]);

export const isRedirect = (status: number, headers: Record<string, unknown>): boolean =>
  REDIRECT.has(status) && headers.location !== undefined;

const BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** The request to send next for a redirect `status` to `location`, or a TypeError to reject with. */
export function redirected(out: Outgoing, status: number, location: string): Outgoing {
  let url: URL;
  try {
    url = new URL(location, out.href);
  } catch (cause) {
    throw fetchFailed(cause);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed(new Error(`redirect to a ${url.protocol} URL`));
  }
  const toGet =
    ((status === 301 || status === 302) && out.method === 'POST') ||
    (status === 303 && out.method !== 'GET' && out.method !== 'HEAD');
  if (!toGet && status !== 303 && out.body !== null && !out.replayable) {
    throw fetchFailed(new Error('cannot follow a redirect with a streamed request body'));
  }
  let headers = out.headers;
  const crossOrigin = url.origin !== out.origin;
  if (toGet || crossOrigin) {
    headers = new Headers(headers);
    if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
    if (crossOrigin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  }
  return {
    ...out,
    href: url.href,
    origin: url.origin,
    path: url.pathname + url.search,
    headers,
    method: toGet ? 'GET' : out.method,
    body: toGet ? null : out.body,
  };
}
