import {
  ConfigError,
  concurrency,
  createClient,
  type Grant,
  logger,
  messageBody,
  rateLimit,
  SERVER_SANDBOX,
} from '@rc/core';
import { describe, expect, it } from 'vitest';

// Every factory (and call) taking an options object refuses a key it does not know, through core's
// checkOptions(): a misspelt option, or a wire name where the camelCase one is meant, would
// otherwise be ignored without a word.

const base = { server: SERVER_SANDBOX, clientId: 'id' };
const grant: Grant = { name: 'test', unattended: true, requestToken: async () => ({}) as never };

/** The ConfigError `fn` throws (or its promise rejects with); asserts it names `option`. */
async function refused(fn: () => unknown, option: string, hint?: string): Promise<ConfigError> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).option).toBe(option);
  expect((error as ConfigError).message).toContain(`unknown option "${option}"`);
  if (hint) expect((error as ConfigError).message).toContain(`Did you mean "${hint}"?`);
  return error as ConfigError;
}

describe('unknown options are refused with a ConfigError naming them', () => {
  it('createClient(): its own options and the ky options it passes through are known', async () => {
    await refused(
      () => createClient({ ...base, client_secret: 's' } as never),
      'client_secret',
      'clientSecret',
    );
    await refused(() => createClient({ ...base, sesionKey: 'k' } as never), 'sesionKey');
    // ky 1's name of what `server` is now.
    await refused(() => createClient({ ...base, prefixUrl: SERVER_SANDBOX } as never), 'prefixUrl');
    expect(() =>
      createClient({
        ...base,
        clientSecret: 's',
        redirectUri: 'https://app.example.com/cb',
        grant,
        sessionKey: 'k',
        plugins: [],
        refreshSkewMs: 0,
        allowInsecureHttp: false,
        rateLimit: { maxWaitMs: 1 },
        now: Date.now,
        tokenTimeoutMs: 1000,
        timeout: 5000,
        totalTimeout: false,
        retry: 1,
        headers: {},
        hooks: {},
        context: {},
        credentials: 'omit',
        throwHttpErrors: true,
      }),
    ).not.toThrow();
  });

  it('createClient({ dispatcher }): refused with the way to give the client a Dispatcher (token requests included)', () => {
    // Passed through, Node's fetch would use it for API requests but not for the token endpoint.
    const error = (() => {
      try {
        createClient({ ...base, dispatcher: {} } as never);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.option).toBe('dispatcher');
    expect(error?.message).toMatch(/undiciFetch\(\{ dispatcher \}\)/);
  });

  it('createClient({ rateLimit }): the options of the built-in limiter are checked too', async () => {
    await refused(
      () => createClient({ ...base, rateLimit: { max_wait_ms: 5 } as never }),
      'max_wait_ms',
      'maxWaitMs',
    );
    const e = await (async () => {
      try {
        createClient({ ...base, rateLimit: 'fast' as never });
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).option).toBe('rateLimit');
  });

  it('rateLimit(), concurrency(), logger()', async () => {
    await refused(() => rateLimit({ maxWait: 5 } as never), 'maxWait');
    await refused(
      () => rateLimit({ default_retry_after_ms: 5 } as never),
      'default_retry_after_ms',
      'defaultRetryAfterMs',
    );
    await refused(() => concurrency({ max: 2, max_queue: 5 } as never), 'max_queue', 'maxQueue');
    await refused(() => logger({ log: () => {}, level: 'debug' } as never), 'level');
    expect(() =>
      rateLimit({ maxWaitMs: 1, defaultRetryAfterMs: 1, onRateLimited: () => {}, now: Date.now }),
    ).not.toThrow();
    expect(() => concurrency({ max: 1, maxQueue: 1 })).not.toThrow();
    expect(() => logger({ log: () => {} })).not.toThrow();
    expect(() => logger()).not.toThrow();
  });

  it('rc.authorize() and rc.session() (rejects / throws as they do for any bad option)', async () => {
    const rc = createClient(base);
    await expect(rc.authorize(grant, { access_token_ttl: 600 } as never)).rejects.toThrow(
      /unknown option "access_token_ttl". Did you mean "accessTokenTtl"\?/,
    );
    await refused(() => rc.authorize(grant, { access_token_ttl: 600 } as never), 'access_token_ttl');
    await refused(() => rc.session('user-1', { grnt: grant } as never), 'grnt');
  });

  it('messageBody()', async () => {
    await refused(
      () => messageBody({}, [], { max_stream_bytes: 5 } as never),
      'max_stream_bytes',
      'maxStreamBytes',
    );
    // and the one it knows is checked (a string would have left streams unbounded)
    for (const maxStreamBytes of ['5', 0, -1, 1.5]) {
      const e = await messageBody({}, [], { maxStreamBytes } as never).catch((error: unknown) => error);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).option).toBe('maxStreamBytes');
    }
  });
});
