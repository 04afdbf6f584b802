import { type ClientOptions, createClient, type RcClient } from '@rc/core';
import { type MockServer, type MockServerOptions, startMockServer } from '@rc/testing';
import { onTestFinished } from 'vitest';

export const EXT = 'restapi/v1.0/account/~/extension/~';
export const TOKEN = 'POST /restapi/oauth/token';

/** A mock server closed when the test ends. */
export async function mockServer(options?: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer(options);
  onTestFinished(() => server.close());
  return server;
}

/** A confidential client of the mock; `bodies` records every token request's form. */
export function client(server: MockServer, options: Partial<ClientOptions> = {}) {
  const tokenRequests: { authorization: string | null; form: URLSearchParams }[] = [];
  const rc: RcClient = createClient({
    server: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith('/restapi/oauth/token')) {
        tokenRequests.push({
          authorization: request.headers.get('authorization'),
          form: new URLSearchParams(await request.clone().text()),
        });
      }
      return fetch(request);
    },
    ...options,
  });
  return { rc, tokenRequests };
}
