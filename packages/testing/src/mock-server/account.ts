/**
 * The account record (`GET /restapi/v1.0/account/~`), built from the mock's user (its id
 * conventions are ids.ts's; extensions are directory.ts's).
 */
import type { MockContext } from './context.js';
import { accountId, wireId } from './ids.js';
import type { MockUser } from './types/options.js';

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
