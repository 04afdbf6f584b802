/**
 * Every operation of RingCentral's description that has no hand-written route: authenticated and
 * metered like the others (in its own `x-throttling-group`), its request checked against the
 * description, and answered with a synthesised, schema-valid reply.
 */
import type { OperationMatch } from '@rc/api/operations';
import type { MockContext } from './context.js';
import { rateExceeded, restError } from './errors.js';
import type { MockRequest, Reply } from './http.js';
import { describedReply } from './spec/reply.js';
import { checkRequest } from './spec/request-check.js';
import type { MockUser } from './types/options.js';

/** `~` means "mine"; another account's id is not found (the mock holds one account per user). */
export function foreignAccount(user: MockUser, params: Readonly<Record<string, string>>): Reply | undefined {
  const account = params.accountId;
  if (account === undefined || account === '~' || account === (user.accountId ?? '1')) return undefined;
  return restError(404, 'CMN-102', 'Resource for parameter [accountId] is not found', {
    parameterName: 'accountId',
  });
}

export function handleDescribed(
  ctx: MockContext,
  req: MockRequest,
  user: MockUser,
  match: OperationMatch,
): Reply {
  const { operation, params } = match;
  const limit = operation.group === 'NoThrottling' ? undefined : ctx.limiter.check(operation.group, user.id);
  if (limit?.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
  const reply =
    foreignAccount(user, params) ??
    checkRequest(operation, params, req) ??
    describedReply(operation, params, req, { baseUrl: ctx.baseUrl(), now: ctx.now() });
  return { ...reply, headers: { ...limit?.headers, ...reply.headers } };
}
