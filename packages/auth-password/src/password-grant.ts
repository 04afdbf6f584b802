import { ConfigError, type Grant } from '@rc/core';
import { checkOptions } from '@rc/core/kit';

/**
 * Options of {@link passwordGrant}, checked at the call.
 * @see https://developers.ringcentral.com/guide/authentication/password-flow
 */
export interface PasswordGrantOptions {
  /** The user's login: a phone number (`+16505550100`) or an email. */
  username: string;
  /** The extension number, when the username is a company number shared by several extensions. */
  extension?: string | undefined;
  /** The user's password. A secret: it is sent once per login and never logged or put in an error. */
  password: string;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/**
 * The OAuth 2 resource-owner password grant
 * (https://developers.ringcentral.com/guide/authentication/password-flow). Unattended: the client
 * may run it again by itself when the refresh token is dead. RingCentral now recommends the JWT
 * grant for server apps; the password grant remains for existing apps and tests.
 *
 * @example
 * await rc.authorize(passwordGrant({ username: '+16505550100', extension: '101', password }), { accessTokenTtl: 600 });
 */
export function passwordGrant(options: PasswordGrantOptions): Grant {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('passwordGrant(): options are required', 'options');
  checkOptions(options, ['username', 'extension', 'password'], 'passwordGrant()');
  const { username, extension, password } = options;
  if (!nonEmpty(username))
    throw new ConfigError('passwordGrant(): `username` must be a non-empty string', 'username');
  if (!nonEmpty(password))
    throw new ConfigError('passwordGrant(): `password` must be a non-empty string', 'password');
  if (extension !== undefined && (typeof extension !== 'string' || !/^\d+$/.test(extension))) {
    throw new ConfigError('passwordGrant(): `extension` must be a string of digits', 'extension');
  }
  return Object.freeze({
    name: 'password',
    unattended: true,
    requestToken: (ctx) => ctx.tokenRequest({ grant_type: 'password', username, password, extension }),
    // The password lives in the closure, not on the object: inspecting or serialising the grant shows none.
    toJSON: () => ({ name: 'password', username }),
  } satisfies Grant & { toJSON(): unknown });
}
