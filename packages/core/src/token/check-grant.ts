import { ConfigError } from '../errors/config-error.js';
import type { Grant } from '../types.js';

/**
 * The one check of a grant handed to the client: `createClient({ grant })`, `session(key, { grant })`
 * and `authorize(grant)`. An unattended grant is one the client may run again without a person
 * (password, JWT); an authorization code is single-use and needs `authorize()`.
 *
 * @param where the call to name in the message, e.g. `'createClient()'`
 */
export function checkGrant(grant: unknown, where: string, mustBeUnattended: boolean): Grant {
  const g = grant as Grant | null | undefined;
  if (typeof g !== 'object' || g === null || typeof g.requestToken !== 'function') {
    throw new ConfigError(`${where}: \`grant\` must be a Grant (e.g. passwordGrant({...}))`, 'grant');
  }
  if (mustBeUnattended && !g.unattended) {
    throw new ConfigError(
      `${where}: \`grant\` must be unattended (password, JWT); "${g.name}" needs a person: use authorize()`,
      'grant',
    );
  }
  return g;
}
