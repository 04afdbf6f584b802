/**
 * The account and extension records (`GET /restapi/v1.0/account/~` and `.../extension/~`), built
 * from the mock's user, and the id conventions the other hand-written routes share with them.
 */
import type { MockContext } from './context.js';
import type { MockUser } from './types/options.js';

export const accountId = (user: MockUser) => user.accountId ?? '1';
/** RingCentral ids are numbers on the wire; a non-numeric mock id is passed through as is. */
const wireId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : id);

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

export function extension(ctx: MockContext, user: MockUser) {
  const [firstName = '', ...rest] = user.name.split(' ');
  return {
    uri: `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}/extension/${user.id}`,
    id: wireId(user.id),
    ...(user.extension === undefined ? {} : { extensionNumber: user.extension }),
    name: user.name,
    type: 'User',
    status: 'Enabled',
    contact: {
      firstName,
      lastName: rest.join(' '),
      ...(user.email === undefined ? {} : { email: user.email }),
    },
    account: { uri: `${ctx.baseUrl()}/restapi/v1.0/account/${accountId(user)}`, id: accountId(user) },
  };
}
