/**
 * The account record (`GET /restapi/v1.0/account/~`), built from the mock's user, and the id
 * conventions the other hand-written routes share with it (extensions are directory.ts's).
 */
import type { MockContext } from './context.js';
import type { MockUser } from './types/options.js';

export const accountId = (user: MockUser) => user.accountId ?? '1';
/** RingCentral ids are numbers on the wire; a non-numeric mock id is passed through as is. */
export const wireId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : id);

export function account(ctx: MockContext, user: MockUser) {
  const id = accountId(user);
  return {
    uri: `${ctx.baseUrl()}/restapi/v1.0/account/${id}`,
    id: wireId(id),
    mainNumber: user.username,
    status: 'Confirmed',
    setupWizardState: 'Completed',
    serviceInfo: { brand: { id: '1210', name: 'RingCentral' } },
  };
}
