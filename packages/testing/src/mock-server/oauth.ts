/**
 * The token and revoke endpoints (RFC 6749 §3.2, RFC 7009) with RingCentral's specifics: the
 * `access_token_ttl`/`refresh_token_ttl`/`endpoint_id` parameters, single-use rotating refresh
 * tokens, a revoke that ends the whole session, and the Auth rate-limit group per client.
 */
import type { AuthCode } from './auth-codes.js';
import type { MockContext } from './context.js';
import {
  invalidClient,
  invalidGrant,
  invalidRequest,
  oauthError,
  rateExceeded,
  tokenNotFound,
} from './errors.js';
import { isForm, json, type MockRequest, parseBasicAuth, parseForm, type Reply } from './http.js';
import { s256, safeEqual } from './secrets.js';
import type { Session } from './sessions.js';
import type { MockClient } from './types/options.js';
import { checkCredentials } from './users.js';

type Form = Map<string, string>;

/** Adds headers to a reply (the rate-limit headers go on every answer of a rate-limited endpoint). */
const withHeaders = (reply: Reply, headers: Record<string, string>): Reply => ({
  ...reply,
  headers: { ...headers, ...reply.headers },
});

/**
 * Client authentication: HTTP Basic for a confidential client; `client_id` in the body, and no
 * secret anywhere, for a public one. A confidential client that omits Basic is refused, as on
 * RingCentral, rather than silently treated as public.
 */
function authenticateClient(ctx: MockContext, req: MockRequest, form: Form): MockClient | Reply {
  const basic = parseBasicAuth(req);
  if (basic === 'malformed') return invalidClient();
  const bodyId = form.get('client_id');
  if (basic) {
    const client = ctx.findClient(basic.id);
    if (!client || (bodyId !== undefined && bodyId !== basic.id)) return invalidClient();
    // A public client may still send Basic with an empty secret (some libraries always do).
    const ok =
      client.clientSecret === undefined ? basic.secret === '' : safeEqual(client.clientSecret, basic.secret);
    return ok ? client : invalidClient();
  }
  if (!bodyId) return invalidClient();
  const client = ctx.findClient(bodyId);
  return client && client.clientSecret === undefined ? client : invalidClient();
}

/** Reads the form and the client, then applies the Auth rate limit; the common start of both endpoints. */
function begin(
  ctx: MockContext,
  req: MockRequest,
): { form: Form; client: MockClient; headers: Record<string, string> } | Reply {
  if (!isForm(req)) {
    return oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
      'OAU-101',
    );
  }
  const form = parseForm(req.body);
  if (!form) return oauthError(400, 'invalid_request', 'Request parameter duplication detected', 'OAU-111');
  const client = authenticateClient(ctx, req, form);
  if ('status' in client) return client;
  const limit = ctx.limiter.check('Auth', client.clientId);
  if (limit.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
  return { form, client, headers: limit.headers };
}

/** A requested ttl clamped to `[min, max]`; the server default when absent; `null` when malformed. */
function ttl(form: Form, name: string, fallback: number, min: number, max: number): number | null {
  const raw = form.get(name);
  if (raw === undefined || raw === '') return fallback;
  // Below the minimum (RingCentral's official SDK sends -1 after a 401) is raised to it, not refused.
  if (!/^-?\d{1,10}$/.test(raw)) return null;
  return Math.min(max, Math.max(min, Number(raw)));
}

export function handleToken(ctx: MockContext, req: MockRequest): Reply {
  const start = begin(ctx, req);
  if ('status' in start) return start;
  const { form, client, headers } = start;
  const { ttlBounds, accessTokenTtl, refreshTokenTtl } = ctx.options;
  const accessTtl = ttl(form, 'access_token_ttl', accessTokenTtl, ttlBounds.accessMin, ttlBounds.accessMax);
  if (accessTtl === null) return withHeaders(invalidRequest('access_token_ttl'), headers);
  const refreshTtl = ttl(form, 'refresh_token_ttl', refreshTokenTtl, 1, ttlBounds.refreshMax);
  if (refreshTtl === null) return withHeaders(invalidRequest('refresh_token_ttl'), headers);
  const endpointId = form.get('endpoint_id') || undefined;
  const ttls = { accessTtl, refreshTtl, endpointId };

  let result: Session | Reply;
  const grantType = form.get('grant_type');
  switch (grantType) {
    case 'password':
      result = passwordGrant(ctx, form, client, ttls);
      break;
    case 'refresh_token':
      result = refreshGrant(ctx, form, client, ttls);
      break;
    case 'authorization_code':
      result = codeGrant(ctx, form, client, ttls);
      break;
    case JWT_BEARER:
      result = jwtGrant(ctx, form, client, ttls);
      break;
    case 'client_credentials':
      result = clientCredentialsGrant(ctx, client, ttls);
      break;
    case undefined:
    case '':
      result = invalidRequest('grant_type');
      break;
    default:
      result = oauthError(400, 'unsupported_grant_type', 'Unsupported grant type', 'OAU-250');
  }
  if ('status' in result) return withHeaders(result, headers);
  // RFC 6749 §5.1: token replies must not be cached.
  return json(200, ctx.sessions.toResponse(result), {
    ...headers,
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  });
}

interface Ttls {
  accessTtl: number;
  refreshTtl: number;
  endpointId: string | undefined;
}

function passwordGrant(ctx: MockContext, form: Form, client: MockClient, ttls: Ttls): Session | Reply {
  const username = form.get('username');
  const password = form.get('password');
  if (!username) return invalidRequest('username');
  if (!password) return invalidRequest('password');
  const user = checkCredentials(ctx.options.users, username, password, form.get('extension'));
  if (!user) return invalidGrant('Invalid resource owner credentials', 'OAU-140');
  return ctx.sessions.create({ userId: user.id, clientId: client.clientId, ...ttls });
}

/** RFC 7523 §2.1: a JWT as the authorization grant. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function jwtGrant(ctx: MockContext, form: Form, client: MockClient, ttls: Ttls): Session | Reply {
  const assertion = form.get('assertion');
  if (!assertion) return invalidRequest('assertion');
  const checked = ctx.jwts.check(assertion, client.clientId);
  if ('status' in checked) return checked;
  if (!ctx.findUserById(checked.userId)) return invalidGrant('JWT token is revoked', 'OAU-213');
  return ctx.sessions.create({ userId: checked.userId, clientId: client.clientId, ...ttls });
}

/**
 * RFC 6749 §4.4, for a confidential client set up with `clientCredentialsUserId` (the user its
 * tokens act as); any other client is refused, as RingCentral refuses apps not enabled for it.
 */
function clientCredentialsGrant(ctx: MockContext, client: MockClient, ttls: Ttls): Session | Reply {
  const userId = client.clientCredentialsUserId;
  if (client.clientSecret === undefined || userId === undefined) {
    return oauthError(400, 'unauthorized_client', 'Unauthorized for this grant type', 'OAU-251');
  }
  return ctx.sessions.create({ userId, clientId: client.clientId, ...ttls });
}

function refreshGrant(ctx: MockContext, form: Form, client: MockClient, ttls: Ttls): Session | Reply {
  const token = form.get('refresh_token');
  if (!token) return invalidRequest('refresh_token');
  const found = ctx.sessions.findByRefresh(token);
  if ('missing' in found) {
    return found.missing === 'expired' ? invalidGrant('Token is expired', 'OAU-211') : tokenNotFound();
  }
  // Another client's token is answered as unknown: its existence is not the caller's business.
  if (found.session.clientId !== client.clientId) return tokenNotFound();
  return ctx.sessions.rotate(found.session, ttls.accessTtl, ttls.refreshTtl, ttls.endpointId);
}

// RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~].
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function codeGrant(ctx: MockContext, form: Form, client: MockClient, ttls: Ttls): Session | Reply {
  const code = form.get('code');
  if (!code) return invalidRequest('code');
  const grant: AuthCode | 'expired' | undefined = ctx.codes.take(code);
  if (grant === undefined) return invalidGrant('Invalid authorization code', 'OAU-106');
  if (grant === 'expired') return invalidGrant('Authorization code is expired', 'OAU-108');
  if (grant.clientId !== client.clientId) {
    return invalidGrant('Authorization code was not issued for this application', 'OAU-110');
  }
  const redirectUri = form.get('redirect_uri');
  if (redirectUri === undefined ? grant.redirectUriSent : redirectUri !== grant.redirectUri) {
    return invalidGrant('Redirect URIs do not match', 'OAU-109');
  }
  const verifier = form.get('code_verifier');
  const verified =
    grant.codeChallenge === undefined
      ? // A verifier for a code issued without a challenge means the challenge was stripped on the
        // way (a PKCE downgrade, RFC 9700 §2.1.1): refused rather than ignored.
        verifier === undefined
      : verifier !== undefined && VERIFIER.test(verifier) && safeEqual(s256(verifier), grant.codeChallenge);
  if (!verified) return invalidGrant('Invalid code verifier', 'OAU-106');
  return ctx.sessions.create({ userId: grant.userId, clientId: client.clientId, ...ttls });
}

/**
 * RFC 7009 revocation. Either token ends the whole session. An unknown token still gets 200 (RFC
 * 7009 §2.2: the client cannot act on the difference); another client's token is left alone.
 */
export function handleRevoke(ctx: MockContext, req: MockRequest): Reply {
  const start = begin(ctx, req);
  if ('status' in start) return start;
  const token = start.form.get('token');
  if (!token) return withHeaders(invalidRequest('token'), start.headers);
  ctx.sessions.revoke(token, start.client.clientId);
  return { status: 200, headers: start.headers, body: '' };
}
