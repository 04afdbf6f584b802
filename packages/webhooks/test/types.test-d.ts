// Type tests (checked by `tsc` in the package's typecheck, which `pnpm typecheck` runs): the body
// `webhookHandler()` hands to `onNotification` is typed by its event filters once `@rc/api` is
// imported, as `subscribe()`'s is (packages/api/test/types.test-d.ts). `@ts-expect-error` lines are
// the compile errors promised.
import type { Schema } from '@rc/api';
import '@rc/api';
import { expectTypeOf } from 'vitest';
import { type WebhookNotification, webhookHandler } from '../src/index.js';

const MESSAGE_STORE = '/restapi/v1.0/account/~/extension/~/message-store';

export function messageStoreBody() {
  webhookHandler({
    verificationToken: 'token',
    eventFilters: [MESSAGE_STORE],
    onNotification: (n) => {
      expectTypeOf(n).toEqualTypeOf<WebhookNotification<Schema<'MessageEventBody'>>>();
      expectTypeOf(n.body).toEqualTypeOf<Schema<'MessageEventBody'>>();
      // @ts-expect-error not a field of a message-store event's body
      void n.body.presenceStatus;
    },
  });
}

export function filtersFromAVariable() {
  // The README's shape: a typed array of the literal, shared with createWebhook().
  const FILTERS: (typeof MESSAGE_STORE)[] = [MESSAGE_STORE];
  webhookHandler({
    verificationToken: false,
    eventFilters: FILTERS,
    onNotification: (n) => {
      expectTypeOf(n.body).toEqualTypeOf<Schema<'MessageEventBody'>>();
    },
  });
}

export function noFiltersNoType() {
  webhookHandler({
    verificationToken: 'token',
    onNotification: (n) => {
      expectTypeOf(n.body).toBeUnknown();
      // @ts-expect-error unknown: narrow it before use
      void n.body.changes;
    },
  });
  // Filters only known at run time type nothing either.
  const filters: string[] = [MESSAGE_STORE];
  webhookHandler({
    verificationToken: 'token',
    eventFilters: filters,
    onNotification: (n) => {
      expectTypeOf(n.body).toBeUnknown();
    },
  });
}
