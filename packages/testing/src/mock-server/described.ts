/**
 * Every operation of RingCentral's description that has no hand-written route (rest.ts has
 * authenticated and metered it already, in its own `x-throttling-group`): its request checked
 * against the description, and answered with a synthesised, schema-valid reply. The request checks
 * here are the ones every route gets, hand-written or not (rest.ts runs them before its handlers).
 */
import type { OperationMatch } from '@rc/api/operations';
import type { MockContext } from './context.js';
import { restError } from './errors.js';
import type { MockRequest, Reply } from './http.js';
import { accountId } from './ids.js';
import { describedReply } from './spec/reply.js';
import { checkRequest } from './spec/request-check.js';
import type { MockUser } from './types/options.js';

/** `~` means "mine"; another account's id is not found (the mock holds one account per user). */
export function foreignAccount(user: MockUser, params: Readonly<Record<string, string>>): Reply | undefined {
  const account = params.accountId;
  if (account === undefined || account === '~' || account === accountId(user)) return undefined;
  return restError(404, 'CMN-102', 'Resource for parameter [accountId] is not found', {
    parameterName: 'accountId',
  });
}

const OWNER_IDS = ['accountId', 'extensionId'] as const;

/**
 * The description types account and extension ids as strings, but RingCentral's are numbers (or
 * `~`), and it refuses anything else as an invalid parameter before looking the id up. A mock
 * user's own id is accepted whatever it is (`users` may name extensions `alice`). A batch path
 * (presence of `101,102`) is not refused whole: each of its ids is answered in its own part.
 */
function invalidOwnerId(ctx: MockContext, params: Readonly<Record<string, string>>): Reply | undefined {
  for (const name of OWNER_IDS) {
    const id = params[name];
    if (id === undefined || id.includes(',') || id === '~' || /^\d{1,19}$/.test(id)) continue;
    if (ctx.options.users.some((u) => (name === 'accountId' ? accountId(u) : u.id) === id)) continue;
    return restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });
  }
  return undefined;
}

/**
 * The checks every REST request gets before its answer, in RingCentral's order: the request
 * against the description (400), then the account (404).
 */
export function checkDescribed(
  ctx: MockContext,
  req: MockRequest,
  user: MockUser,
  match: OperationMatch,
  options: { skipDescription?: boolean } = {},
): Reply | undefined {
  return (
    invalidOwnerId(ctx, match.params) ??
    (options.skipDescription ? undefined : checkRequest(match.operation, match.params, req)) ??
    foreignAccount(user, match.params)
  );
}

export function handleDescribed(
  ctx: MockContext,
  req: MockRequest,
  user: MockUser,
  match: OperationMatch,
): Reply {
  return (
    checkDescribed(ctx, req, user, match) ??
    describedReply(match.operation, match.params, req, { baseUrl: ctx.baseUrl(), now: ctx.now() })
  );
}
