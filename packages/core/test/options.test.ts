import { ConfigError, createClient, SERVER_PRODUCTION, SERVER_SANDBOX } from '@rc/core';
import { describe, expect, it } from 'vitest';

const base = { server: SERVER_SANDBOX, clientId: 'id' };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('RC_CONFIG');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('createClient() checks its options at the call', () => {
  it('accepts the documented servers and strips a trailing slash', () => {
    expect(createClient({ ...base, server: SERVER_PRODUCTION }).info.server).toBe(
      'https://platform.ringcentral.com',
    );
    expect(createClient({ ...base, server: `${SERVER_SANDBOX}/` }).info.server).toBe(SERVER_SANDBOX);
  });

  it('missing clientId', () => {
    expect(configError(() => createClient({ server: SERVER_SANDBOX } as never)).option).toBe('clientId');
    expect(configError(() => createClient({ ...base, clientId: '' })).option).toBe('clientId');
  });

  it('server not an absolute http(s) URL', () => {
    for (const server of [
      '',
      'platform.ringcentral.com',
      'ftp://example.com',
      '/restapi',
      'https://x.com/?a=1',
    ]) {
      expect(configError(() => createClient({ ...base, server })).option).toBe('server');
    }
    expect(configError(() => createClient({ clientId: 'id' } as never)).option).toBe('server');
  });

  it('plain http to a host that is not loopback unless allowInsecureHttp', () => {
    const e = configError(() => createClient({ ...base, server: 'http://platform.example.com' }));
    expect(e.option).toBe('server');
    expect(e.message).toMatch(/allowInsecureHttp/);
    expect(
      createClient({ ...base, server: 'http://platform.example.com', allowInsecureHttp: true }).info.server,
    ).toBe('http://platform.example.com');
    for (const server of [
      'http://127.0.0.1:8080',
      'http://localhost:1',
      'http://[::1]:9',
      'http://127.1.2.3',
    ]) {
      expect(() => createClient({ ...base, server })).not.toThrow();
    }
  });

  it('a negative or non-numeric refreshSkewMs', () => {
    expect(configError(() => createClient({ ...base, refreshSkewMs: -1 })).option).toBe('refreshSkewMs');
    expect(configError(() => createClient({ ...base, refreshSkewMs: Number.NaN })).option).toBe(
      'refreshSkewMs',
    );
    expect(() => createClient({ ...base, refreshSkewMs: 0 })).not.toThrow();
  });

  it('a plugin without a name, or with bad hooks/fetch', () => {
    expect(configError(() => createClient({ ...base, plugins: [{} as never] })).option).toBe(
      'plugins[0].name',
    );
    expect(configError(() => createClient({ ...base, plugins: [{ name: 'a' }, { name: '' }] })).option).toBe(
      'plugins[1].name',
    );
    expect(
      configError(() => createClient({ ...base, plugins: [{ name: 'x', fetch: 1 as never }] })).option,
    ).toBe('plugins[0].fetch');
    expect(configError(() => createClient({ ...base, plugins: {} as never })).option).toBe('plugins');
  });

  it('a store that is not a TokenStore, a grant that needs a person, a bad timeout', () => {
    expect(configError(() => createClient({ ...base, store: { get() {} } as never })).option).toBe('store');
    const interactive = { name: 'authorization_code', requestToken: async () => ({}) as never };
    expect(configError(() => createClient({ ...base, grant: interactive })).option).toBe('grant');
    expect(configError(() => createClient({ ...base, timeout: -5 })).option).toBe('timeout');
    expect(configError(() => createClient({ ...base, redirectUri: 'not a url' })).option).toBe('redirectUri');
  });

  it('info holds no secret and says whether the client is confidential', () => {
    const rc = createClient({
      ...base,
      clientSecret: 'the-client-secret',
      redirectUri: 'https://app.example.com/cb',
    });
    expect(rc.info).toEqual({
      server: SERVER_SANDBOX,
      clientId: 'id',
      confidential: true,
      redirectUri: 'https://app.example.com/cb',
    });
    expect(JSON.stringify(rc.info)).not.toContain('the-client-secret');
    expect(createClient(base).info.confidential).toBe(false);
  });
});
