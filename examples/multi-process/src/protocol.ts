// What the main process and a worker say to each other over the IPC channel of `child_process.fork`.
// Secrets (client secret, password) travel only here: never on the command line or in the
// environment, where `ps` and /proc would show them.

/** Everything a worker needs to build its own client. */
export interface WorkerConfig {
  server: string;
  clientId: string;
  clientSecret: string;
  redisUrl: string;
  namespace: string;
  /** Concurrent GETs to fire once told to go. */
  requests: number;
  /** ky's per-attempt timeout of each request, in ms. */
  timeoutMs: number;
  /** The unattended grant's credentials: the worker logs in by itself when the store has no token. */
  login?: { username: string; extension?: string; password: string };
}

/** Main → worker. */
export type ToWorker = { type: 'config'; config: WorkerConfig } | { type: 'go' };

/**
 * Worker → main. `started`: it listens, send the config (a message sent before the child listens
 * would be lost). `ready`: it built its client and read the store; it waits for `go`.
 */
export type FromWorker = { type: 'started' } | { type: 'ready' };

/** A worker's result, printed as one JSON line on its stdout. */
export interface WorkerReport {
  ok: number;
  failed: number;
  /** The error code of each failed request (`RC_STORE`, `RC_API`, ...), in order of failure. */
  errors: string[];
  /** From `go` until the last request settled, in ms. */
  ms: number;
}
