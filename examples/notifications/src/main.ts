// What you need: Node.js 22 or later (it has a WebSocket). With no variables it runs against an
// embedded mock RingCentral server. For real RingCentral set RC_SERVER_URL
// (https://platform.devtest.ringcentral.com for the sandbox), RC_CLIENT_ID, RC_CLIENT_SECRET,
// RC_USERNAME, RC_EXTENSION (optional) and RC_PASSWORD, for an app with the
// WebSocketsSubscription and ReadMessages scopes; it then listens for RC_LISTEN_SECONDS (default 60):
// send the user an SMS to see an event.
//
// It subscribes to the user's message-store events over WebSocket and prints each one. On the mock
// it also shows what happens when the network drops: the session is recovered and the event sent
// meanwhile is delivered, once. It never prints a secret.
import { pathToFileURL } from 'node:url';
import { passwordGrant } from '@rc/auth-password';
import { createClient, isRcError } from '@rc/core';
import { type Notification, subscribe } from '@rc/subscriptions';
import { demoTarget } from '@rc/testing';

const MESSAGE_STORE = '/restapi/v1.0/account/~/extension/~/message-store';

interface MessageStoreEvent {
  changes?: { type: string; newCount: number }[];
}

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
  try {
    say(
      target.kind === 'mock'
        ? `No RingCentral credentials given: using the embedded mock server at ${target.server}.`
        : `Using RingCentral at ${target.server}.`,
    );
    const rc = createClient({
      server: target.server,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
    });
    await rc.authorize(
      passwordGrant({
        username: target.username,
        password: target.password,
        ...(target.extension ? { extension: target.extension } : {}),
      }),
    );

    const received: Notification[] = [];
    const print = (n: Notification) => {
      received.push(n);
      const changes = (n.body as MessageStoreEvent).changes ?? [];
      const what = changes.map((c) => `${c.newCount} new ${c.type}`).join(', ') || 'a change';
      say(`   event ${received.length}: ${what} (${n.event})`);
    };
    const sub = await subscribe(rc, { eventFilters: [MESSAGE_STORE], onNotification: print });
    let recovered = false;
    sub.on('recovered', () => {
      recovered = true;
      say('   (the connection came back and the session was recovered)');
    });
    sub.on('resubscribed', () => say('   (the session could not be recovered: subscribed again)'));
    say(`1. Subscribed to message-store events over WebSocket (subscription ${sub.id}).`);

    const mock = target.mock;
    if (mock) {
      say('2. Two text messages arrive:');
      for (const newCount of [1, 2]) mock.notify(MESSAGE_STORE, { changes: [{ type: 'SMS', newCount }] });
      await until(() => received.length === 2, 5_000, 'two events');
      say('3. The network drops, and a voicemail arrives while the connection is down:');
      mock.webSocket.drop();
      mock.notify(MESSAGE_STORE, { changes: [{ type: 'VoiceMail', newCount: 1 }] });
      await until(() => received.length === 3 && recovered, 10_000, 'the missed event');
      const unique = new Set(received.map((n) => n.uuid)).size;
      say(`4. Received ${received.length} events, ${received.length - unique} twice.`);
    } else {
      const seconds = Number(env.RC_LISTEN_SECONDS ?? 60);
      say(`2. Listening for ${seconds} s: send the user an SMS to see an event.`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      say(`3. Received ${received.length} events.`);
    }
    await sub.close();
    say('Closed the subscription. Done.');
  } catch (error) {
    // RcError messages never hold a secret (URLs are redacted), so they are safe to print.
    say(`Failed: ${isRcError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  } finally {
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(() => {
    process.exitCode = 1;
  });
}
