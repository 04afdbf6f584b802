/**
 * Message-store notifications: after a send, an update or a delete, RingCentral tells the owner's
 * `…/message-store` subscribers (WebSocket and WebHook alike, through the one `notify()`) which
 * kind of message changed and how many were new or updated. Every route that changes the store
 * announces through here, so the event path and body cannot differ between them.
 */

import type { MockContext } from './context.js';
import { accountId } from './ids.js';
import type { MockUser } from './types/options.js';

export function announceMessages(
  ctx: MockContext,
  user: MockUser,
  type: string,
  change: { newIds: number[] } | { updated: number },
): void {
  const changes =
    'newIds' in change
      ? { type, newCount: change.newIds.length, updatedCount: 0, newMessageIds: change.newIds }
      : { type, newCount: 0, updatedCount: change.updated };
  ctx.notify(`/restapi/v1.0/account/${accountId(user)}/extension/${user.id}/message-store`, {
    extensionId: user.id,
    ownerId: user.id,
    lastUpdated: new Date(ctx.now()).toISOString(),
    changes: [changes],
  });
}
