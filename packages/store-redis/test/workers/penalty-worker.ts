// One process of the shared-penalty test (bundled from the sources by helpers.ts bundleWorker, run
// with plain Node): its own client on the shared redisStore. Told over IPC what to do; reports
// over IPC. It says `ready` once its client knows the route's group and the store's penalties, and
// `heard` when a penalty another process met reaches it (its client's limiter hears it alike).
import { createClient, isRcError } from '@rc/core';
import { redisStore } from '@rc/store-redis';

interface Config {
  server: string;
  clientId: string;
  clientSecret: string;
  redis: { url: string } | { cluster: { rootNodes: { url: string }[] } };
  namespace: string;
  token: Record<string, unknown>;
  path: string;
  /** The route the client warms up on (default `path`): another group's, for a client that never called `path`'s. */
  warmPath?: string;
}
type Message =
  | { type: 'config'; config: Config }
  | { type: 'fire'; count: number; path?: string }
  | { type: 'exit' };

const send = (m: unknown) => process.send?.(m);
let rc: ReturnType<typeof createClient> | undefined;
let store: ReturnType<typeof redisStore> | undefined;
let config: Config | undefined;

process.on('message', async (m: Message) => {
  if (m.type === 'config') {
    config = m.config;
    // Eight processes connecting to a Cluster at once on a small machine: more than the default 1 s.
    store = redisStore({
      ...config.redis,
      namespace: config.namespace,
      lockTtlMs: 6_000,
      commandTimeoutMs: 3_000,
    });
    rc = createClient({
      server: config.server,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      store,
    });
    rc.on('rateLimited', (info) => send({ type: 'limited', at: Date.now(), group: info.group }));
    try {
      await rc.setToken(config.token as never);
      await rc.get(config.warmPath ?? config.path).json(); // learns the route's group (and the budget's)
      await store.penalties!.load(); // subscribed
      store.penalties!.subscribe((group) => send({ type: 'heard', at: Date.now(), group }));
      send({ type: 'ready' });
    } catch (error) {
      send({ type: 'ready', error: isRcError(error) ? `${error.code}: ${error.message}` : String(error) });
    }
  } else if (m.type === 'fire') {
    const results = await Promise.allSettled(
      Array.from({ length: m.count }, () => rc!.get(m.path ?? config!.path).json()),
    );
    const errors = results.flatMap((r) =>
      r.status === 'rejected' ? [isRcError(r.reason) ? r.reason.code : String(r.reason)] : [],
    );
    send({ type: 'done', ok: results.length - errors.length, errors, at: Date.now() });
  } else if (m.type === 'exit') {
    await store?.close();
    process.exit(0);
  }
});
send({ type: 'started' });
