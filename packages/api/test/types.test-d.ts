// Type tests (checked by `tsc` in the package's typecheck, which the test command runs): what
// `import '@rc/api'` promises of each call. `@ts-expect-error` lines are the compile errors promised.
import type { RcClient } from '@rc/core';
import { expectTypeOf } from 'vitest';
import type { Schema } from '../src/index.js';
import '../src/index.js';
import { subscribe } from '@rc/subscriptions';

declare const rc: RcClient;
declare const id: string;
declare const runtimePath: string;

export async function extensionRead() {
  const ext = await rc.get('/restapi/v1.0/account/~/extension/~').json();
  expectTypeOf(ext).toEqualTypeOf<Schema<'GetExtensionInfoResponse'>>();
  // Without the leading slash, and with real ids, it is the same operation.
  expectTypeOf(await rc.get('restapi/v1.0/account/~/extension/101').json()).toEqualTypeOf(ext);
  // The description marks no field of this reply required: all are optional. Enums are literal unions.
  expectTypeOf(ext.id).toEqualTypeOf<number | undefined>();
  expectTypeOf<'Enabled'>().toExtend<NonNullable<typeof ext.status>>();
  expectTypeOf<string>().not.toExtend<NonNullable<typeof ext.status>>();
}

export async function callLogList() {
  const page = await rc
    .get('/restapi/v1.0/account/~/extension/~/call-log', {
      searchParams: { dateFrom: '2026-01-01T00:00:00Z', perPage: 100, type: ['Voice'], view: 'Detailed' },
    })
    .json();
  // `records` is required in the description: no `undefined` to narrow away.
  expectTypeOf(page.records).toEqualTypeOf<Schema<'CallLogRecord'>[]>();
  rc.get('/restapi/v1.0/account/~/extension/~/call-log', {
    // @ts-expect-error a misspelt query key
    searchParams: { perPgae: 100 },
  });
  rc.get('/restapi/v1.0/account/~/extension/~/call-log', {
    // @ts-expect-error a value outside the enum
    searchParams: { view: 'Verbose' },
  });
}

export async function smsSend() {
  const sent = await rc
    .post('/restapi/v1.0/account/~/extension/~/sms', {
      json: { from: { phoneNumber: '+16505550100' }, to: [{ phoneNumber: '+16505550101' }], text: 'hi' },
    })
    .json();
  expectTypeOf(sent).toEqualTypeOf<Schema<'GetSMSMessageInfoResponse'>>();
  rc.post('/restapi/v1.0/account/~/extension/~/sms', {
    // @ts-expect-error `text` is required
    json: { from: { phoneNumber: '+16505550100' }, to: [{ phoneNumber: '+16505550101' }] },
  });
}

export async function presenceByTemplateLiteral() {
  const presence = await rc.get(`/restapi/v1.0/account/~/extension/${id}/presence`).json();
  expectTypeOf(presence).toEqualTypeOf<Schema<'PresenceInfoResponse'>>();
}

export async function literalSegmentsWin() {
  // `user-role/default` and `user-role/{roleId}` are siblings: the literal wins, an id takes the param.
  expectTypeOf(await rc.get('/restapi/v1.0/account/~/user-role/default').json()).toEqualTypeOf<
    Schema<'DefaultUserRole'>
  >();
  expectTypeOf(await rc.get('/restapi/v1.0/account/~/user-role/123').json()).toEqualTypeOf<
    Schema<'RoleResource'>
  >();
  // `/restapi/{apiVersion}` beside `/restapi/v1.0/...`: the literal branch has no leaf, the param does.
  expectTypeOf(await rc.get('/restapi/v1.0').json()).toEqualTypeOf<Schema<'ApiVersionInfo'>>();
}

export async function paginateRecords() {
  for await (const record of rc.paginate('/restapi/v1.0/account/~/extension/~/call-log', {
    searchParams: { perPage: 1000 },
  })) {
    expectTypeOf(record).toEqualTypeOf<Schema<'CallLogRecord'>>();
  }
  // A record type given by hand still works (and leaves the path untyped).
  for await (const record of rc.paginate<{ id: string }>(runtimePath)) {
    expectTypeOf(record).toEqualTypeOf<{ id: string }>();
  }
}

export async function batchBodies() {
  const results = await rc.batchGet('/restapi/v1.0/account/~/extension/{ids}/presence', [101, 102]);
  for (const r of results) {
    if (!r.error) expectTypeOf(r.body).toEqualTypeOf<Schema<'PresenceInfoResponse'>>();
  }
}

export async function messageStoreNotification() {
  const sub = await subscribe(rc, {
    eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
    onNotification: (n) => {
      expectTypeOf(n.body).toEqualTypeOf<Schema<'MessageEventBody'>>();
    },
  });
  sub.on('notification', (n) => {
    expectTypeOf(n.body).toEqualTypeOf<Schema<'MessageEventBody'>>();
  });
}

export async function runtimeStringsStayUntyped() {
  expectTypeOf(await rc.get(runtimePath).json()).toBeUnknown();
  expectTypeOf(await rc.get(new URL('https://platform.ringcentral.com/x')).json()).toBeUnknown();
  // Any options ky takes are accepted for a run-time path.
  rc.get(runtimePath, { searchParams: { anything: 1 } });
}

export function unknownLiteralPath() {
  // @ts-expect-error a literal path the description lacks (the escape hatch: a `string`-typed path)
  rc.get('/restapi/v1.0/acount/~');
  rc.get('/restapi/v1.0/acount/~' as string);
}
