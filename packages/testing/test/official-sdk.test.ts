import { SDK } from '@ringcentral/sdk';
import { Subscriptions } from '@ringcentral/subscriptions';
import FormData from 'form-data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

// The official-SDK oracle: RingCentral's own JavaScript SDK (@ringcentral/sdk 5.0.11, unchanged) runs
// its documented flows against the mock. A difference is a bug on one side, decided from
// RingCentral's documentation (see the README).

let mock: MockServer;
let sdk: SDK;
beforeEach(async () => {
  mock = await startMockServer({ callLogSize: 5 });
  sdk = new SDK({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
});
afterEach(() => mock.close());

const platform = () => sdk.platform();

describe('@ringcentral/sdk against the mock', () => {
  it('JWT login, a call, a refresh, logout', async () => {
    await platform().login({ jwt: mock.jwt });
    const me = await (await platform().get('/restapi/v1.0/account/~/extension/~')).json();
    expect(me.id).toBe(101);
    const before = (await platform().auth().data()).access_token;
    await platform().refresh();
    const after = (await platform().auth().data()).access_token;
    expect(after).not.toBe(before);
    expect((await platform().get('/restapi/v1.0/account/~')).status).toBe(200);
    await platform().logout();
    expect(mock.stats.revokes).toBe(1);
    expect(await platform().loggedIn()).toBe(false);
  });

  it('password login', async () => {
    await platform().login({
      username: mock.user.username,
      extension: mock.user.extension ?? '',
      password: mock.user.password,
    });
    expect((await platform().get('/restapi/v1.0/account/~/extension/~')).status).toBe(200);
  });

  it('a refresh after a 401 (the SDK sends access_token_ttl=-1) and the call retried', async () => {
    await platform().login({ jwt: mock.jwt });
    mock.invalidateAccessTokens();
    const res = await platform().get('/restapi/v1.0/account/~/extension/~');
    expect(res.status).toBe(200);
    expect(mock.stats.byGrant.refresh_token).toBe(1);
  });

  it('the call log and the message store, paged with nextPage', async () => {
    await platform().login({ jwt: mock.jwt });
    const first = await (
      await platform().get('/restapi/v1.0/account/~/extension/~/call-log', { perPage: 2 })
    ).json();
    expect(first.records).toHaveLength(2);
    const second = await (await platform().get(first.navigation.nextPage.uri)).json();
    expect(second.paging.page).toBe(2);
    for (const text of ['one', 'two', 'three']) {
      await platform().post('/restapi/v1.0/account/~/extension/~/sms', {
        from: { phoneNumber: mock.user.username },
        to: [{ phoneNumber: '+16505550199' }],
        text,
      });
    }
    const messages = await (
      await platform().get('/restapi/v1.0/account/~/extension/~/message-store', { perPage: 2 })
    ).json();
    expect(messages.records.map((m: { subject: string }) => m.subject)).toEqual(['three', 'two']);
    const rest = await (await platform().get(messages.navigation.nextPage.uri)).json();
    expect(rest.records.map((m: { subject: string }) => m.subject)).toEqual(['one']);
  });

  it('batch presence read with multipart()', async () => {
    await platform().login({ jwt: mock.jwt });
    const res = await platform().get('/restapi/v1.0/account/~/extension/101,102,103/presence');
    // The SDK reads the first part (the statuses) itself and gives one Response per id.
    const parts = await sdk.multipart(res);
    expect(parts.map((p) => p.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(parts.map((p) => p.json()));
    expect(bodies.map((b) => b.extension.id)).toEqual([101, 102, 103]);
  });

  it('a fax with form-data, read back by its uri', async () => {
    await platform().login({ jwt: mock.jwt });
    // As RingCentral's fax guide sends it with the SDK: the JSON fields first, then the attachment.
    const form = new FormData();
    const fields = { to: [{ phoneNumber: '+16505550198' }], faxResolution: 'High' };
    form.append('json', Buffer.from(JSON.stringify(fields)), {
      filename: 'request.json',
      contentType: 'application/json',
    });
    form.append('attachment', Buffer.from('page one'), { filename: 'page.txt', contentType: 'text/plain' });
    const fax = await (await platform().post('/restapi/v1.0/account/~/extension/~/fax', form)).json();
    expect(fax.type).toBe('Fax');
    const read = await (await platform().get(fax.uri)).json();
    expect(read.id).toBe(fax.id);
    const content = await platform().get(fax.attachments[0].uri);
    expect(await content.text()).toBe('page one');
  });

  it('a 429 surfaces without handleRateLimit, and is waited out with it', async () => {
    await platform().login({ jwt: mock.jwt });
    const path = '/restapi/v1.0/account/~/extension/~';
    mock.failNext({ path, status: 429, headers: { 'Retry-After': '0' } });
    await expect(platform().get(path)).rejects.toMatchObject({ response: { status: 429 } });
    const patient = new SDK({
      server: mock.url,
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      handleRateLimit: 1,
    });
    await patient.platform().login({ jwt: mock.jwt });
    mock.failNext({ path, status: 429, headers: { 'Retry-After': '0' } });
    expect((await patient.platform().get(path)).status).toBe(200);
  });

  it('a WebSocket subscription (@ringcentral/subscriptions) receives the message-store notification of an SMS', async () => {
    await platform().login({ jwt: mock.jwt });
    const subscriptions = new Subscriptions({ sdk });
    const subscription = subscriptions.createSubscription();
    const received = new Promise<{ body: { changes: { newMessageIds: number[] }[] } }>((resolve) => {
      subscription.on(subscription.events.notification, resolve);
    });
    await subscription.setEventFilters(['/restapi/v1.0/account/~/extension/~/message-store']).register();
    // The socket ends with the server (afterEach).
    const sms = await platform().post('/restapi/v1.0/account/~/extension/~/sms', {
      from: { phoneNumber: mock.user.username },
      to: [{ phoneNumber: '+16505550199' }],
      text: 'hello',
    });
    const { id } = await sms.json();
    const event = await Promise.race([
      received,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no notification within 5 s')), 5_000),
      ),
    ]);
    expect(event.body.changes[0]?.newMessageIds).toEqual([id]);
  });
});
