// The routes. `/login` starts the authorization-code flow, the redirect URI's path (`/callback`)
// finishes it (state checked against the sealed session, code exchanged for this user's token),
// `/me` calls the API with that token, `/logout` revokes it. Each user's token lives under its own
// key: `rc.session(userKey)`.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authCodeGrant, authorizeUrl, parseCallback } from '@rc/auth-code';
import { AuthRequiredError, ErrorCodes, isRcError, OAuthError, type RcClient } from '@rc/core';
import { type ErrorInfo, errorPage, homePage, mePage, type PageInfo, type Profile } from './pages.js';
import type { CookieSession, SessionData } from './session.js';

export interface AppDeps {
  rc: RcClient;
  sessions: CookieSession;
  /** The redirect URI registered for the app; its path is this app's callback route. */
  redirectUri: string;
  /** Where failures are reported; it only ever gets an error's name, code and message (no secret). */
  log: (line: string) => void;
}

/** A sign-in must come back within 10 minutes; a signed-in session lasts 8 hours. */
const PENDING_MAX_AGE_SEC = 10 * 60;
const SIGNED_IN_MAX_AGE_SEC = 8 * 60 * 60;

const HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // The callback URL carries the code: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
};

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, HEADERS).end(html);
}

function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store' }).end();
}

/**
 * CSRF check for a POST. SameSite=Lax keeps the cookie off other sites' POSTs, but not off a
 * sibling subdomain's (same site, other origin). `Sec-Fetch-Site` decides when the browser sends it
 * (all current ones do); otherwise `Origin` must be ours, or "null", which is what this app's
 * `Referrer-Policy: no-referrer` makes browsers send for its own forms.
 */
function fromThisOrigin(req: IncomingMessage, origin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const from = req.headers.origin;
  return from === undefined || from === 'null' || from === origin;
}

/** A message safe to log: RcErrors never hold a secret; anything else is shown by name only. */
const describe = (error: unknown) =>
  isRcError(error) ? `${error.name} ${error.code}: ${error.message}` : `${(error as Error)?.name ?? 'Error'}`;

/** What the user is told when the callback is refused. */
function callbackError(error: unknown): ErrorInfo {
  if (error instanceof OAuthError && error.code === ErrorCodes.STATE_MISMATCH) {
    return {
      title: 'Sign-in refused',
      message:
        'This sign-in response does not match the sign-in you started (its state is wrong), so it was ignored: it may be forged or replayed. Please sign in again.',
      detail: error.code,
    };
  }
  if (error instanceof OAuthError && error.error === 'access_denied') {
    return {
      title: 'Sign-in cancelled',
      message: 'You declined to give this app access to your RingCentral account. Nothing was stored.',
      detail: 'access_denied',
    };
  }
  if (error instanceof OAuthError) {
    return {
      title: 'Sign-in failed',
      message: 'RingCentral did not complete the sign-in. Please try again.',
      detail: error.code === ErrorCodes.OAUTH ? error.error : error.code,
    };
  }
  return {
    title: 'Sign-in failed',
    message: 'RingCentral could not be reached to complete the sign-in. Please try again.',
    detail: isRcError(error) ? error.code : undefined,
  };
}

export function createHandler(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { rc, sessions, redirectUri, log } = deps;
  const { origin, pathname: callbackPath } = new URL(redirectUri);
  const info: PageInfo = { server: rc.info.server };
  const fail = (res: ServerResponse, status: number, error: ErrorInfo) =>
    send(res, status, errorPage(error, info));

  /** The signed-in user's session of the client, when the cookie names one that still has a token. */
  async function signedIn(data: SessionData): Promise<RcClient | undefined> {
    if (!data.userKey) return undefined;
    const user = rc.session(data.userKey);
    return (await user.getToken()) ? user : undefined;
  }

  async function login(req: IncomingMessage, res: ServerResponse) {
    if (await signedIn(sessions.read(req))) return redirect(res, '/me');
    // A fresh state and PKCE pair for every attempt (PKCE is optional for a confidential app: use it).
    const { url, state, codeVerifier } = await authorizeUrl(rc, { redirectUri, pkce: true });
    sessions.save(res, { pending: codeVerifier ? { state, codeVerifier } : { state } }, PENDING_MAX_AGE_SEC);
    redirect(res, url);
  }

  async function callback(req: IncomingMessage, res: ServerResponse) {
    const { pending } = sessions.read(req);
    if (!pending) {
      return fail(res, 400, {
        title: 'No sign-in in progress',
        message:
          'This browser has no sign-in waiting for an answer: it expired, or this page was opened twice. Please sign in again.',
      });
    }
    // The pending login is used once, whatever happens next.
    sessions.clear(res);
    let code: string;
    try {
      ({ code } = parseCallback(req.url ?? '', { state: pending.state }));
    } catch (error) {
      log(`callback refused: ${describe(error)}`);
      return fail(res, 400, callbackError(error));
    }
    const userKey = `user-${randomBytes(16).toString('base64url')}`;
    try {
      const grant = authCodeGrant(
        pending.codeVerifier
          ? { code, redirectUri, codeVerifier: pending.codeVerifier }
          : { code, redirectUri },
      );
      await rc.session(userKey).authorize(grant);
    } catch (error) {
      log(`code exchange failed: ${describe(error)}`);
      return fail(res, error instanceof OAuthError ? 400 : 502, callbackError(error));
    }
    sessions.save(res, { userKey }, SIGNED_IN_MAX_AGE_SEC);
    redirect(res, '/me', 303);
  }

  async function me(req: IncomingMessage, res: ServerResponse) {
    const user = await signedIn(sessions.read(req));
    if (!user) return redirect(res, '/');
    try {
      const profile = await user
        .get('/restapi/v1.0/account/~/extension/~')
        .json<Profile & { contact?: { email?: string } }>();
      send(
        res,
        200,
        mePage(
          { name: profile.name, extensionNumber: profile.extensionNumber, email: profile.contact?.email },
          info,
        ),
      );
    } catch (error) {
      if (error instanceof AuthRequiredError) {
        sessions.clear(res);
        return redirect(res, '/');
      }
      log(`GET /me failed: ${describe(error)}`);
      fail(res, 502, {
        title: 'RingCentral call failed',
        message: 'The API call for your profile failed. Please try again.',
        detail: isRcError(error) ? error.code : undefined,
      });
    }
  }

  async function logout(req: IncomingMessage, res: ServerResponse) {
    const { userKey } = sessions.read(req);
    if (userKey) {
      // Ends the RingCentral session and deletes the stored token; sign out locally either way.
      await rc
        .session(userKey)
        .revoke()
        .catch((error: unknown) => log(`revoke failed: ${describe(error)}`));
    }
    sessions.clear(res);
    redirect(res, '/', 303);
  }

  const routes: Record<string, { method: string; run: typeof login }> = {
    '/': { method: 'GET', run: async (_req, res) => send(res, 200, homePage(info)) },
    '/login': { method: 'GET', run: login },
    '/me': { method: 'GET', run: me },
    // POST only: a link or an image elsewhere must not sign the user out.
    '/logout': { method: 'POST', run: logout },
  };
  if (routes[callbackPath])
    throw new Error(`The redirect URI's path ${callbackPath} is taken by another page.`);
  routes[callbackPath] = { method: 'GET', run: callback };

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
    const route = routes[path];
    try {
      if (!route) return fail(res, 404, { title: 'Not found', message: 'There is no such page.' });
      if (req.method !== route.method) {
        res.setHeader('Allow', route.method);
        return fail(res, 405, { title: 'Method not allowed', message: `Use ${route.method} for ${path}.` });
      }
      if (route.method === 'POST' && !fromThisOrigin(req, origin)) {
        return fail(res, 403, { title: 'Forbidden', message: 'This form was sent from another site.' });
      }
      await route.run(req, res);
    } catch (error) {
      log(`${req.method} ${path} failed: ${describe(error)}`);
      if (!res.headersSent) fail(res, 500, { title: 'Something went wrong', message: 'Please try again.' });
      else res.end();
    }
  };
}
