import { ConfigError, type Grant } from '@rc/core';
import { checkOptions } from '@rc/core/kit';
import { credentialProblem } from './credential.js';
import { credentialScrubber, scrubOAuthError } from './scrub.js';

/**
 * Options of {@link jwtGrant}, checked at the call.
 *
 * @see https://developers.ringcentral.com/guide/authentication/jwt-flow
 */
export interface JwtGrantOptions {
  /**
   * The JWT credential created for one user in RingCentral's developer console (Credentials →
   * JWT), usually read from an environment variable such as `RC_JWT`. It may be bound to chosen
   * client ids and may never expire, so it is a secret like a password: it is sent once per login
   * (as `assertion`) and never appears in an error, a log line, `toJSON` or `util.inspect`.
   *
   * Required: a missing, empty or non-string value, or one that is not a JWT
   * (`header.payload.signature`), is a `ConfigError` at the call.
   */
  jwt: string;
}

const FN = 'jwtGrant()';

/** RFC 7523 §2.1: the grant type of a JWT used as an authorization grant. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * RingCentral's JWT bearer grant (RFC 7523), the login for server apps with no person present
 * (RingCentral retired the password grant for production apps on 2024-03-31). Unattended: given
 * to `createClient({ grant })`, the client logs in by itself when no token is stored and again
 * when the refresh token is dead, once for all concurrent callers and, with a shared store, once
 * for all processes. JWT logins count against the strict Auth rate-limit group (about 5 a minute):
 * keep tokens in a store and reuse them, never log in per request.
 *
 * Client authentication is the client's (HTTP Basic with the client secret), as for the password grant.
 *
 * @example
 * const rc = createClient({
 *   server: SERVER_PRODUCTION,
 *   clientId: process.env.RC_CLIENT_ID!,
 *   clientSecret: process.env.RC_CLIENT_SECRET,
 *   grant: jwtGrant({ jwt: process.env.RC_JWT! }),
 * });
 * const me = await rc.get('restapi/v1.0/account/~/extension/~').json(); // logs in on first use
 * @see https://developers.ringcentral.com/guide/authentication/jwt-flow
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export function jwtGrant(options: JwtGrantOptions): Grant {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`${FN}: options are required: jwtGrant({ jwt })`, 'options');
  }
  checkOptions(options, ['jwt'], FN);
  // Never shown in a message: the value is a secret. Only its kind is named.
  const { jwt } = options as { jwt?: unknown };
  if (typeof jwt !== 'string' || jwt === '') {
    const got =
      jwt === undefined
        ? 'missing'
        : jwt === null
          ? 'null'
          : typeof jwt === 'object'
            ? 'an object'
            : typeof jwt !== 'string'
              ? `a ${typeof jwt}`
              : 'empty';
    throw new ConfigError(
      `${FN}: \`jwt\` must be the JWT credential from RingCentral's developer console (it is ${got}; is RC_JWT set?)`,
      'jwt',
    );
  }
  const problem = credentialProblem(jwt);
  if (problem) throw new ConfigError(`${FN}: \`jwt\` ${problem}`, 'jwt');
  const scrub = credentialScrubber(jwt);

  return Object.freeze({
    name: 'jwt',
    unattended: true,
    async requestToken(ctx) {
      try {
        // Wire names live here only (RFC 7523 §2.1).
        return await ctx.tokenRequest({ grant_type: JWT_BEARER_GRANT_TYPE, assertion: jwt });
      } catch (error) {
        throw scrubOAuthError(error, scrub);
      }
    },
    // The credential lives in the closure, not on the object: logging or serialising the grant shows none.
    toJSON: () => ({ name: 'jwt' }),
  } satisfies Grant & { toJSON(): unknown });
}
