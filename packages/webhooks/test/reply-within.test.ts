import { ConfigError } from '@rc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookHandler } from '../src/index.js';
import { payload, type Receiver, sleep, startReceiver, TOKEN, waitFor } from './helpers.js';

// replyWithinMs: RingCentral counts a reply later than 3 s as a failure and documents no
// redelivery, so an onNotification still running at the bound gets a 200 and runs on; what fails
// after it reaches onError and frees the uuid. `false` waits for the outcome. Short real timings,
// no assertion of speed: the onNotification below waits on a gate the test opens.

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const post = (url: string, uuid: string) =>
  fetch(url, { method: 'POST', headers: { 'Verification-Token': TOKEN }, body: payload(uuid) });

async function start(replyWithinMs: number | false) {
  let open!: (fail: boolean) => void;
  const gate = new Promise<boolean>((resolve) => {
    open = resolve;
  });
  const state = { calls: 0, settled: false, passed: [] as string[], errors: [] as unknown[] };
  receiver = await startReceiver(
    webhookHandler({
      verificationToken: TOKEN,
      replyWithinMs,
      onNotification: async (n) => {
        state.calls++;
        try {
          if (state.calls === 1 && (await gate)) throw new Error('failed after the reply');
          state.passed.push(n.uuid);
        } finally {
          if (state.calls === 1) state.settled = true;
        }
      },
      onError: (e) => state.errors.push(e),
    }),
  );
  return { url: receiver.url, open, state };
}

describe('replyWithinMs', () => {
  it('answers 200 while onNotification still runs; a later failure reaches onError and frees the uuid', async () => {
    const { url, open, state } = await start(50);
    const res = await post(url, 'u-slow');
    expect(res.status).toBe(200);
    expect(state.settled).toBe(false); // answered before onNotification settled
    open(true);
    await waitFor(() => state.errors.length === 1, 3000, 'the late failure to be reported');
    expect((state.errors[0] as Error).message).toBe('failed after the reply');
    // The uuid was given back: a redelivery is passed on.
    expect((await post(url, 'u-slow')).status).toBe(200);
    expect(state.passed).toEqual(['u-slow']);
  });

  it('false: the reply waits for the outcome (500 for a failure, however late)', async () => {
    const { url, open, state } = await start(false);
    const reply = post(url, 'u-wait');
    await sleep(200);
    expect(state.settled).toBe(false);
    open(true);
    expect((await reply).status).toBe(500);
    expect(state.errors).toHaveLength(1);
  });

  it('is checked at the call', () => {
    for (const bad of [0, 9, 1.5, -1, '2500', true, 2 ** 31])
      expect(() =>
        webhookHandler({ verificationToken: TOKEN, onNotification: () => {}, replyWithinMs: bad as number }),
      ).toThrow(ConfigError);
    expect(() =>
      webhookHandler({ verificationToken: TOKEN, onNotification: () => {}, replyWithinMs: undefined }),
    ).not.toThrow();
  });
});
