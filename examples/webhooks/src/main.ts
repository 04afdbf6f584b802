// What you need: Node.js 22 or later. With no variables it runs against an embedded mock RingCentral
// server. For real RingCentral set RC_SERVER_URL (https://platform.devtest.ringcentral.com for the
// sandbox), RC_CLIENT_ID, RC_CLIENT_SECRET, RC_USERNAME, RC_EXTENSION (optional), RC_PASSWORD (an
// app with the ReadMessages scope), and RC_WEBHOOK_ADDRESS: a public https URL that forwards to
// http://127.0.0.1:RC_WEBHOOK_PORT/webhook (e.g. a tunnel); it then listens for RC_LISTEN_SECONDS
// (default 60): send the user an SMS to see an event.
//
// A Node server receives the user's message-store events by webhook: it answers RingCentral's
// validation handshake, checks the verification token of each delivery and passes each event on
// once. The subscription is renewed before it expires, and a restarted app (same store) reuses it
// instead of creating another. It never prints a secret.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import '@rc/api'; // types the notification bodies by event filter
import { passwordGrant } from '@rc/auth-password';
import { createClient, isRcError, type TokenStore } from '@rc/core';
import { memoryStore } from '@rc/store-memory';
import { demoTarget } from '@rc/testing';
import { createWebhook, toNodeHandler, type WebhookNotification, webhookHandler } from '@rc/webhooks';

const MESSAGE_STORE = '/restapi/v1.0/account/~/extension/~/message-store';
const FILTERS: (typeof MESSAGE_STORE)[] = [MESSAGE_STORE];

/** Resolves when `condition()` holds; rejects after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function main(say: (line: string) => void = console.log, env = process.env): Promise<void> {
  const target = await demoTarget(env);
  // The app's secret for its webhook: RingCentral sends it back with every delivery.
  const verificationToken = env.RC_WEBHOOK_TOKEN ?? randomBytes(16).toString('hex');
  const received: WebhookNotification[] = [];
  const handler = webhookHandler({
    verificationToken,
    eventFilters: FILTERS,
    onNotification: (n) => {
      // n.body is typed (MessageEventBody) through `import '@rc/api'`.
      received.push(n);
      const what = (n.body.changes ?? [])
        .map((c) => `${c.newCount ?? 0} new ${c.type ?? 'message'}`)
        .join(', ');
      say(`   event ${received.length}: ${what || 'a change'} (${n.event})`);
    },
  });
  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(Number(env.RC_WEBHOOK_PORT ?? 0), '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  // One store for both runs of the app below: it holds the token and the webhook's state, as a
  // Redis store would across real restarts.
  const store = memoryStore();
  const client = (s: TokenStore) =>
    createClient({
      server: target.server,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      store: s,
      grant: passwordGrant({
        username: target.username,
        password: target.password,
        ...(target.extension ? { extension: target.extension } : {}),
      }),
    });
  try {
    const mock = target.mock;
    say(
      mock
        ? `No RingCentral credentials given: using the embedded mock server at ${target.server}.`
        : `Using RingCentral at ${target.server}.`,
    );
    const address = mock ? local : env.RC_WEBHOOK_ADDRESS;
    if (!address) throw new Error('Set RC_WEBHOOK_ADDRESS: a public https URL forwarding to this server');
    const options = {
      address,
      eventFilters: FILTERS,
      verificationToken,
      // On the mock a 3 s lifetime, to see a renewal; RingCentral's default is 7 days.
      ...(mock ? { expiresIn: 3, renewBeforeMs: 1500 } : {}),
    };
    const rc = client(store);
    const hook = await createWebhook(rc, options);
    say(`1. Created the webhook (subscription ${hook.id}): the server answered the validation handshake.`);

    if (mock) {
      // An SMS sent through the API: the mock, like RingCentral, emits the message-store event.
      await rc.post('/restapi/v1.0/account/~/extension/~/sms', {
        json: {
          from: { phoneNumber: mock.user.username },
          to: [{ phoneNumber: '+16505550101' }],
          text: 'Hello',
        },
      });
      await until(() => received.length === 1, 5_000, 'the SMS event');
      const before = hook.expiresAt ?? 0;
      await until(() => (hook.expiresAt ?? 0) > before, 5_000, 'a renewal');
      say(`2. Renewed before it expired (same subscription ${hook.id}).`);
      await hook.close(); // the app stops; the subscription stays for the next start
      const restarted = await createWebhook(client(store), options);
      say(
        `3. Restarted with the same store: ${restarted.id === hook.id ? 'reused' : 'replaced'} the subscription (${mock.webhooks.subscriptions.length} at RingCentral).`,
      );
      // A voicemail has no API to send one: its event is raised with the mock's notify().
      mock.notify(MESSAGE_STORE, { changes: [{ type: 'VoiceMail', newCount: 1 }] });
      await until(() => received.length === 2, 5_000, 'the voicemail event');
      await restarted.close({ unsubscribe: true });
      say(`4. Received ${received.length} events; deleted the webhook.`);
    } else {
      const seconds = Number(env.RC_LISTEN_SECONDS ?? 60);
      say(`2. Listening for ${seconds} s: send the user an SMS to see an event.`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      await hook.close({ unsubscribe: true });
      say(`3. Received ${received.length} events; deleted the webhook.`);
    }
    say('Done.');
  } catch (error) {
    // RcError messages never hold a secret, so they are safe to print.
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(() => {
    process.exitCode = 1;
  });
}
