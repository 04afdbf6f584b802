/**
 * The browser side of the authorization-code flow (RFC 6749 §4.1, RFC 7636). Order matters: the
 * client and redirect URI are checked first, and a failure there is shown as a page, never
 * redirected (an open redirector otherwise); every later error goes back to the app by redirect.
 */

import { AUTHORIZE_PARAMS, errorPage, loginPage } from './authorize-page.js';
import type { MockContext } from './context.js';
import { isForm, type MockRequest, parseForm, type Reply, redirect } from './http.js';
import type { MockClient } from './types/options.js';
import { checkCredentials } from './users.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// RFC 7636 §4.2: an S256 challenge is base64url of a SHA-256 digest, 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/**
 * A registered redirect URI matches exactly; a client with none accepts any http(s) loopback URI
 * without a fragment (RFC 6749 §3.1.2; `url.hash` is '' for a bare `#`, hence the string test).
 */
function redirectAllowed(client: MockClient, redirectUri: string): boolean {
  if (client.redirectUris) return client.redirectUris.includes(redirectUri);
  if (redirectUri.includes('#') || !URL.canParse(redirectUri)) return false;
  const url = new URL(redirectUri);
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return redirect(url.href);
}

interface Checked {
  client: MockClient;
  redirectUri: string;
  /** Whether the request named the redirect URI: the token request must then repeat it. */
  redirectUriSent: boolean;
  codeChallenge: string | undefined;
}

/**
 * Validates the authorize parameters: an error page, an error redirect, or the checked request.
 * `repeated` names the parameters that came more than once (RFC 6749 §3.1 forbids it).
 */
function check(ctx: MockContext, params: Record<string, string>, repeated: string[] = []): Checked | Reply {
  if (repeated.includes('client_id') || repeated.includes('redirect_uri')) {
    return errorPage(400, 'Invalid request: client_id and redirect_uri must each be given once.');
  }
  const client = params.client_id ? ctx.findClient(params.client_id) : undefined;
  if (!client) return errorPage(400, 'Unknown client_id: the application is not registered.');
  // As on RingCentral, redirect_uri may be left out when the app registered exactly one.
  const redirectUri =
    params.redirect_uri ?? (client.redirectUris?.length === 1 ? client.redirectUris[0] : undefined);
  if (!redirectUri || !redirectAllowed(client, redirectUri)) {
    return errorPage(400, 'Invalid redirect_uri: it is not registered for this application.');
  }
  const fail = (error: string, description: string) =>
    redirectWith(redirectUri, { error, error_description: description, state: params.state });
  if (repeated.length > 0) return fail('invalid_request', 'Request parameters must not be repeated');
  if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (challenge !== undefined) {
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!S256_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge is malformed');
  } else if (method !== undefined) {
    return fail('invalid_request', 'code_challenge_method without code_challenge');
  } else if (client.clientSecret === undefined) {
    return fail('invalid_request', 'A public client must use PKCE (code_challenge)');
  }
  return {
    client,
    redirectUri,
    redirectUriSent: params.redirect_uri !== undefined,
    codeChallenge: challenge,
  };
}

/** `GET /restapi/oauth/authorize`: records the query, then shows the login page or an error. */
export function handleAuthorizeGet(ctx: MockContext, req: MockRequest): Reply {
  const params = Object.fromEntries(req.query);
  ctx.onAuthorizeRequest({ ...params });
  const repeated = [...new Set(req.query.keys())].filter((name) => req.query.getAll(name).length > 1);
  const checked = check(ctx, params, repeated);
  if ('status' in checked) return checked;
  const input = { params, clientId: checked.client.clientId };
  return loginPage(200, params.login_hint ? { ...input, username: params.login_hint } : input);
}

/** `POST /restapi/oauth/authorize`: the login form. Deny, or log in and redirect with a code. */
export function handleAuthorizePost(ctx: MockContext, req: MockRequest): Reply {
  const form = isForm(req) ? parseForm(req.body) : undefined;
  if (!form) return errorPage(400, 'Malformed login form.');
  // Only the known authorize parameters are taken from the hidden inputs; they are checked again,
  // because nothing stops a caller from editing them.
  const params: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) {
    const value = form.get(name);
    if (value !== undefined) params[name] = value;
  }
  const checked = check(ctx, params);
  if ('status' in checked) return checked;
  // The redirect URI (and whether it was named) and the challenge: what the code will be bound to.
  const { client, ...bound } = checked;
  const action = form.get('action');
  if (action === 'deny') {
    return redirectWith(bound.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied access to the application',
      state: params.state,
    });
  }
  const username = form.get('username') ?? '';
  const page = (status: number, error: string) =>
    loginPage(status, { params, clientId: client.clientId, username, error });
  if (action !== 'allow') return page(400, 'Choose Allow or Deny.');
  const user = checkCredentials(ctx.options.users, username, form.get('password') ?? '');
  // A failed login stays on the page (no redirect), as a real login form does.
  if (!user) return page(401, 'Invalid username or password.');
  const code = ctx.codes.issue({ ...bound, clientId: client.clientId, userId: user.id });
  return redirectWith(bound.redirectUri, { code, state: params.state });
}
