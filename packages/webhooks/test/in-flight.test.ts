import { afterEach, describe, expect, it } from 'vitest';
import { webhookHandler } from '../src/index.js';
import { payload, type Receiver, sleep, startReceiver, TOKEN, waitFor } from './helpers.js';

// A redelivery that arrives while the first delivery of the same uuid is still being handled
// (RingCentral, or the mock, gave up waiting for the first reply): it waits for the first's
// outcome in this process, and is passed on when the first failed — it is the live request; the
// first one's 500 may go to a sender that stopped listening. Real HTTP on loopback.

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A promise and the function that settles it: the first delivery's onNotification waits on it. */
function gate() {
  let open!: (fail: boolean) => void;
  const closed = new Promise<boolean>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

const post = (url: string, uuid: string) =>
  fetch(url, { method: 'POST', headers: { 'Verification-Token': TOKEN }, body: payload(uuid) });

/** A receiver whose first call waits for the gate (and then fails or not); later calls succeed. */
async function start() {
  const first = gate();
  const state = { calls: 0, passed: [] as string[], errors: [] as unknown[] };
  receiver = await startReceiver(
    webhookHandler({
      verificationToken: TOKEN,
      // The outcome, not an early 200: a stalled machine must not turn the first's 500 into one.
      replyWithinMs: false,
      onNotification: async (n) => {
        state.calls++;
        if (state.calls === 1 && (await first.closed)) throw new Error('the database is down');
        state.passed.push(n.uuid);
      },
      onError: (e) => state.errors.push(e),
    }),
  );
  return { url: receiver.url, first, state };
}

/** `true` when `p` is still pending after a short while (the wait the duplicate is in). */
const pending = async (p: Promise<unknown>) => {
  const marker = Symbol('pending');
  return (await Promise.race([p, sleep(150).then(() => marker)])) === marker;
};

describe('a redelivery while the first delivery is still being handled', () => {
  it('the first fails: the redelivery is passed on, not answered 200 and dropped', async () => {
    const { url, first, state } = await start();
    const one = post(url, 'u-live');
    await waitFor(() => state.calls === 1, 3000, 'the first to be inside onNotification');
    const two = post(url, 'u-live');
    expect(await pending(two)).toBe(true); // waits for the first's outcome
    first.open(true);
    const [a, b] = await Promise.all([one, two]);
    expect([a.status, b.status]).toEqual([500, 200]);
    expect(state.calls).toBe(2);
    expect(state.passed).toEqual(['u-live']);
    expect(state.errors).toHaveLength(1);
  });

  it('the first succeeds: the redelivery is answered 200 once it has, and not passed on', async () => {
    const { url, first, state } = await start();
    const one = post(url, 'u-ok');
    await waitFor(() => state.calls === 1, 3000, 'the first to be inside onNotification');
    const two = post(url, 'u-ok');
    expect(await pending(two)).toBe(true);
    first.open(false);
    const [a, b] = await Promise.all([one, two]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(state.calls).toBe(1);
    expect(state.passed).toEqual(['u-ok']);
  });

  it('several redeliveries waiting on a failed first: exactly one of them is passed on', async () => {
    const { url, first, state } = await start();
    const one = post(url, 'u-many');
    await waitFor(() => state.calls === 1, 3000, 'the first to be inside onNotification');
    const more = [post(url, 'u-many'), post(url, 'u-many'), post(url, 'u-many')];
    await sleep(50);
    first.open(true);
    const replies = await Promise.all([one, ...more]);
    expect(replies.map((r) => r.status)).toEqual([500, 200, 200, 200]);
    expect(state.calls).toBe(2);
    expect(state.passed).toEqual(['u-many']);
  });
});
