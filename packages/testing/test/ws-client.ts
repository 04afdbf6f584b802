// A raw WebSocket client of the mock's gateway for tests: a ws token, and a socket whose frames
// are queued so a test reads them in order. Shared by the gateway's and the subscription resource's tests.
import { expect } from 'vitest';
import type { MockServer } from '../src/index.js';

const sockets: WebSocket[] = [];

/** Closes every socket `connect` opened (call after each test). */
export function closeSockets(): void {
  for (const ws of sockets.splice(0)) ws.close();
}

export async function wsToken(
  mock: MockServer,
): Promise<{ uri: string; ws_access_token: string; expires_in: number }> {
  const { access_token } = mock.issueToken();
  const res = await fetch(`${mock.url}/restapi/oauth/wstoken`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${access_token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-rate-limit-group')).toBe('Auth');
  return (await res.json()) as { uri: string; ws_access_token: string; expires_in: number };
}

/** A socket whose frames are queued; `next()` waits (bounded) for the next one. */
export function connect(url: string) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: unknown[][] = [];
  const waiters: Array<(f: unknown[]) => void> = [];
  let closed: { code: number } | undefined;
  ws.addEventListener('message', (e) => {
    const frame = JSON.parse(String(e.data)) as unknown[];
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  ws.addEventListener('close', (e) => {
    closed = { code: e.code };
  });
  return {
    ws,
    get closed() {
      return closed;
    },
    send: (frame: unknown[]) => ws.send(JSON.stringify(frame)),
    next(ms = 2_000): Promise<unknown[]> {
      const queued = frames.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms);
        waiters.push((f) => {
          clearTimeout(timer);
          resolve(f);
        });
      });
    },
  };
}

export const meta = (frame: unknown[]) => frame[0] as Record<string, any>;
export const body = (frame: unknown[]) => frame[1] as Record<string, any>;

/** A socket of `mock`'s default user, subscribed to `eventFilters`, past its ConnectionDetails and subscription reply. */
export async function subscribedSocket(mock: MockServer, eventFilters: string[]) {
  const token = await wsToken(mock);
  const socket = connect(`${token.uri}?access_token=${token.ws_access_token}`);
  expect(meta(await socket.next())).toMatchObject({ type: 'ConnectionDetails' });
  socket.send([
    { type: 'ClientRequest', messageId: 'sub', method: 'POST', path: '/restapi/v1.0/subscription/' },
    { eventFilters, deliveryMode: { transportType: 'WebSocket' } },
  ]);
  expect(meta(await socket.next())).toMatchObject({ type: 'ClientRequest', status: 200 });
  return socket;
}
