// A worker that keeps serving: request loops on one client over the shared Redis store, each
// request's outcome sent to the parent over IPC (`{ t, ok, code }`, t in epoch ms), until the
// parent says `stop`. It tells the parent `refreshing` when its client sends a refresh (a plugin's
// hooks see token requests), so a test can kill the process that holds the refresh lock mid-refresh.
// Started by test/lock-holder-killed.test.ts with child_process.fork; the config comes over IPC.
import { createClient, isRcError, type Plugin } from '@rc/core';
import { redisStore } from '@rc/store-redis';
import { API_PATH } from './worker.js';

export interface LoopConfig {
  server: string;
  clientId: string;
  clientSecret: string;
  redisUrl: string;
  namespace: string;
  loops: number;
  timeoutMs: number;
}

export type FromLoopWorker =
  | { type: 'ready' }
  | { type: 'refreshing' }
  | { type: 'result'; t: number; ok: boolean; code?: string };

const send = (message: FromLoopWorker) => process.send?.(message);

async function main(config: LoopConfig): Promise<void> {
  const store = redisStore({ url: config.redisUrl, namespace: config.namespace });
  const spy: Plugin = {
    name: 'refresh-spy',
    hooks: {
      beforeRequest: [
        ({ request }) => {
          if (new URL(request.url).pathname.endsWith('/oauth/token')) send({ type: 'refreshing' });
        },
      ],
    },
  };
  const rc = createClient({
    server: config.server,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    store,
    timeout: config.timeoutMs,
    retry: 0,
    plugins: [spy],
  });
  await rc.getToken();
  let stopped = false;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') stopped = true;
  });
  send({ type: 'ready' });
  await Promise.all(
    Array.from({ length: config.loops }, async () => {
      while (!stopped) {
        try {
          await rc.get(API_PATH).json();
          send({ type: 'result', t: Date.now(), ok: true });
        } catch (error) {
          send({
            type: 'result',
            t: Date.now(),
            ok: false,
            code: isRcError(error) ? `${error.code}: ${error.message}` : String(error),
          });
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  await store.close();
  process.disconnect?.();
}

process.once('message', (m: { type: string; config: LoopConfig }) => {
  if (m.type === 'config')
    main(m.config).catch((error) => {
      console.error(error);
      process.exit(1);
    });
});
