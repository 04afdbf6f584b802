/**
 * The id conventions every hand-written route shares: the account a mock user belongs to, and how
 * an id goes on the wire. Apart from account.ts so that the directory (which context.ts names)
 * does not import the account record, which takes the context: that was an import cycle.
 */
import type { MockUser } from './types/options.js';

export const accountId = (user: MockUser) => user.accountId ?? '1';
/** RingCentral ids are numbers on the wire; a non-numeric mock id is passed through as is. */
export const wireId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : id);
/** An extension id as a route gives it: `~` is the caller's own. */
export const ownId = (user: MockUser, id: string) => (id === '~' ? user.id : id);
