import { ConfigError, type Grant, type TokenRequestParams } from '@rc/core';
import { checkOptions, checkRedirectUri } from './checks.js';
import { isCodeVerifier } from './pkce.js';

/**
 * Options of {@link authCodeGrant}, checked at the call.
 *
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
 */
export interface AuthCodeGrantOptions {
  /** The authorization code from `parseCallback()`. Single-use and short-lived; a secret. */
  code: string;
  /**
   * The redirect URI the authorization request used (`redirect_uri`): the token request must
   * repeat it exactly.
   *
   * @default the client's `redirectUri`; a ConfigError at the token request when neither is set.
   */
  redirectUri?: string | undefined;
  /**
   * The PKCE verifier returned by `authorizeUrl()` (`code_verifier`). Required for a client
   * without a secret, which RingCentral allows only with PKCE.
   *
   * @default not sent
   * @see https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow
   */
  codeVerifier?: string | undefined;
}

const FN = 'authCodeGrant';
const OPTIONS = ['code', 'redirectUri', 'codeVerifier'];

/**
 * The OAuth 2 authorization-code grant: exchanges the code of a callback for a token. It is not
 * unattended (a person must log in again for a new code), so the client never re-runs it.
 * Client authentication (HTTP Basic, or `client_id` in the body for a client without a secret)
 * is added by the client's token request, not here.
 *
 * @example
 * const { code } = parseCallback(req.url, { state: session.oauth.state });
 * await rc.authorize(authCodeGrant({ code, codeVerifier: session.oauth.codeVerifier }));
 * @see https://developers.ringcentral.com/guide/authentication/auth-code-flow
 */
export function authCodeGrant(options: AuthCodeGrantOptions): Grant {
  checkOptions(options, OPTIONS, FN);
  const { code, redirectUri, codeVerifier } = options;
  // Neither value is ever shown in a message: both are secrets.
  if (typeof code !== 'string' || code === '') {
    throw new ConfigError(
      `${FN}: \`code\` must be the non-empty code from the authorization callback.`,
      'code',
    );
  }
  if (redirectUri !== undefined) checkRedirectUri(redirectUri, FN);
  if (codeVerifier !== undefined && !isCodeVerifier(codeVerifier)) {
    throw new ConfigError(
      `${FN}: \`codeVerifier\` must be the verifier from authorizeUrl(): 43 to 128 characters of A-Z a-z 0-9 - . _ ~.`,
      'codeVerifier',
    );
  }

  return Object.freeze({
    name: 'authorization_code',
    unattended: false,
    async requestToken(ctx) {
      const redirect = redirectUri ?? ctx.client.redirectUri;
      if (redirect === undefined || redirect === '') {
        throw new ConfigError(
          `${FN}: no redirect URI: pass \`redirectUri\` (the one the authorization request used), or give one to createClient().`,
          'redirectUri',
        );
      }
      if (codeVerifier === undefined && !ctx.client.confidential) {
        throw new ConfigError(
          `${FN}: a client without a secret must use PKCE: pass the \`codeVerifier\` returned by authorizeUrl().`,
          'codeVerifier',
        );
      }
      // Wire names live here only.
      const params: TokenRequestParams = { grant_type: 'authorization_code', code, redirect_uri: redirect };
      if (codeVerifier !== undefined) params.code_verifier = codeVerifier;
      return ctx.tokenRequest(params);
    },
  } satisfies Grant);
}
