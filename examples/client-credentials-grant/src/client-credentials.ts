// A grant written from scratch: the OAuth 2 client-credentials grant (RFC 6749 §4.4). The app
// authenticates as itself; core adds the client authentication (HTTP Basic) and the ttl options,
// parses the reply and turns an error reply into an OAuthError. See docs/writing-a-grant.md.
import { ConfigError, type Grant, type GrantContext } from '@rc/core';

export interface ClientCredentialsOptions {
  /** Space-separated scopes to ask for (`scope`). @default the app's scopes */
  scope?: string | undefined;
}

/** @example createClient({ server, clientId, clientSecret, grant: clientCredentialsGrant() }) */
export function clientCredentialsGrant(options: ClientCredentialsOptions = {}): Grant {
  // Check options at the call, naming the bad one: never on the first request.
  const { scope } = options;
  if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) {
    throw new ConfigError('clientCredentialsGrant(): `scope` must be a non-empty string', 'scope');
  }
  return Object.freeze({
    name: 'client_credentials',
    // No person is needed: the client may run it again by itself when it has no usable token.
    unattended: true,
    async requestToken(ctx: GrantContext) {
      // RFC 6749 §4.4.2: only a confidential client may use this grant.
      if (!ctx.client.confidential) {
        throw new ConfigError('clientCredentialsGrant(): the client needs a clientSecret', 'clientSecret');
      }
      // Wire names only here; `undefined` values are left out of the form.
      return ctx.tokenRequest({ grant_type: 'client_credentials', scope });
    },
  });
}
