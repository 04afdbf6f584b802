/**
 * CORS, so that a browser app on another origin (an SPA with PKCE and no secret) can call the
 * token, revoke and REST endpoints, as it can on RingCentral. Nothing relies on cookies (bearer
 * tokens and form bodies only), so every origin is allowed with `*` and no credentials. The
 * authorize page is a page the browser navigates to, not an API: it gets no CORS headers.
 */
import { AUTHORIZE_PATH } from './context.js';
import type { MockRequest, Reply } from './http.js';

/** Response headers a browser script may read: the request id and the rate-limit headers. */
const EXPOSED_HEADERS = [
  'RCRequestId',
  'Retry-After',
  'X-Rate-Limit-Group',
  'X-Rate-Limit-Limit',
  'X-Rate-Limit-Remaining',
  'X-Rate-Limit-Window',
].join(', ');

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

// A comma-separated list of header names (RFC 9110 tokens): what a preflight may ask for.
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const HEADER_LIST = new RegExp(`^${TOKEN}(?:\\s*,\\s*${TOKEN})*$`);

const applies = (req: MockRequest) =>
  typeof req.headers.origin === 'string' &&
  req.path.startsWith('/restapi') &&
  req.path !== AUTHORIZE_PATH &&
  !req.path.startsWith(`${AUTHORIZE_PATH}/`);

/**
 * The answer to a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`):
 * 204 allowing the methods and the headers asked for (`Authorization`, `Content-Type`, ...).
 * `undefined` when the request is not a preflight, so that it is routed as usual.
 */
export function preflight(req: MockRequest): Reply | undefined {
  if (req.method !== 'OPTIONS' || !applies(req) || !req.headers['access-control-request-method']) {
    return undefined;
  }
  const headers: Record<string, string> = {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Max-Age': '600',
  };
  const asked = req.headers['access-control-request-headers']?.trim();
  if (asked && HEADER_LIST.test(asked)) headers['Access-Control-Allow-Headers'] = asked;
  return { status: 204, headers, body: '' };
}

/** Adds the CORS response headers to an answer to a cross-origin API request. */
export function withCors(req: MockRequest, reply: Reply): Reply {
  if (!applies(req)) return reply;
  return {
    ...reply,
    headers: {
      ...reply.headers,
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    },
  };
}
