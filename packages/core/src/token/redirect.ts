import { OAuthError } from '../errors/oauth-error.js';

// OAuth requests (token, revoke, wstoken) are sent with `redirect: 'manual'`: their body or their
// reply is a credential, so a redirect is never followed (it would re-send a password, a refresh
// token or a code elsewhere, or take another host's answer for a token). One reading of "this was
// a redirect" and one error for it, for the token endpoint and for OAuth paths sent through ky.

/** Whether `response` is a redirect that was not followed: a 3xx, or a browser's opaque one (status 0). */
export function isUnfollowedRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

/** The error for an OAuth request answered with a redirect: nothing was, or will be, re-sent. */
export function redirectRefused(status: number): OAuthError {
  return new OAuthError({
    status,
    error: 'invalid_response',
    errorDescription: 'the OAuth endpoint answered with a redirect, which is never followed',
  });
}
