// One process of the multi-process example: its own client on the shared Redis store, N
// concurrent GETs, a one-line JSON report on stdout. Started by main.ts with child_process.fork;
// it gets its configuration over the IPC channel (secrets never go through argv or env), says
// `ready` once its client has read the store, and fires its requests when told `go`, so that all
// workers hit the token at the same moment.
//
// Run on its own it reads its configuration from the environment (RC_SERVER_URL, RC_CLIENT_ID,
// RC_CLIENT_SECRET, REDIS_URL, RC_NAMESPACE, RC_REQUESTS, and RC_USERNAME/RC_EXTENSION/RC_PASSWORD
// for an unattended login) and starts at once.
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { passwordGrant } from '@rc/auth-password';
import { createClient, isRcError } from '@rc/core';
import { redisStore } from '@rc/store-redis';
import type { FromWorker, ToWorker, WorkerConfig, WorkerReport } from './protocol.js';

export const API_PATH = '/restapi/v1.0/account/~/extension/~';

/** The code of a failed request: an RcError's stable code, else the error's name. */
const codeOf = (error: unknown): string =>
  isRcError(error) ? error.code : error instanceof Error ? error.name : 'Error';

/**
 * Builds the client, reads the store once (`ready`), waits for `go`, then fires the requests and
 * reports. The store is closed whatever happens: its connection would keep the process alive.
 */
export async function runWorker(config: WorkerConfig, ready: () => Promise<void>): Promise<WorkerReport> {
  const store = redisStore({ url: config.redisUrl, namespace: config.namespace });
  try {
    const rc = createClient({
      server: config.server,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      store,
      timeout: config.timeoutMs,
      ...(config.login ? { grant: passwordGrant(config.login) } : {}),
    });
    // Loads the session's token into memory (or learns there is none): one Redis GET, no HTTP. A
    // failure here shows again on the requests, which is where it is reported.
    await rc.getToken().catch(() => undefined);
    await ready();
    const start = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: config.requests }, () => rc.get(API_PATH).json()),
    );
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [codeOf(r.reason)] : []));
    const ms = Math.round(performance.now() - start);
    return { ok: results.length - errors.length, failed: errors.length, errors, ms };
  } finally {
    await store.close();
  }
}

function configFromEnv(env: NodeJS.ProcessEnv): WorkerConfig {
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`worker: ${name} is not set`);
    return v;
  };
  return {
    server: need('RC_SERVER_URL'),
    clientId: need('RC_CLIENT_ID'),
    clientSecret: need('RC_CLIENT_SECRET'),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    namespace: env.RC_NAMESPACE ?? 'rc-example-multi-process',
    requests: Number(env.RC_REQUESTS ?? 10),
    timeoutMs: 15_000,
    ...(env.RC_USERNAME && env.RC_PASSWORD
      ? {
          login: {
            username: env.RC_USERNAME,
            password: env.RC_PASSWORD,
            ...(env.RC_EXTENSION ? { extension: env.RC_EXTENSION } : {}),
          },
        }
      : {}),
  };
}

async function fromParent(): Promise<WorkerReport> {
  const send = (message: FromWorker) => process.send?.(message);
  const next = async <T extends ToWorker['type']>(type: T) => {
    for (;;) {
      const [message] = (await once(process, 'message')) as [ToWorker];
      if (message.type === type) return message as Extract<ToWorker, { type: T }>;
    }
  };
  // The parent is gone (it crashed or was killed): so is the point of this worker.
  process.once('disconnect', () => process.exit(2));
  const configured = next('config');
  send({ type: 'started' });
  const { config } = await configured;
  return runWorker(config, async () => {
    const go = next('go');
    send({ type: 'ready' });
    await go;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const run = process.send ? fromParent() : runWorker(configFromEnv(process.env), async () => {});
  run.then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.removeAllListeners('disconnect');
      process.disconnect?.();
    },
    (error: unknown) => {
      // RcError messages never hold a secret; anything else is reported by name only.
      process.stderr.write(
        `worker failed: ${isRcError(error) ? `${error.code}: ${error.message}` : codeOf(error)}\n`,
      );
      process.exitCode = 1;
      process.removeAllListeners('disconnect');
      process.disconnect?.();
    },
  );
}
