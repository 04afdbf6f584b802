// One mock server per test, and a bearer header for its default user.
import { afterEach, beforeEach } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

export function withMock(options?: MockServerOptions): { mock: MockServer; auth: { Authorization: string } } {
  const state = {} as { mock: MockServer; auth: { Authorization: string } };
  beforeEach(async () => {
    state.mock = await startMockServer(options);
    state.auth = { Authorization: `Bearer ${state.mock.issueToken().access_token}` };
  });
  afterEach(() => state.mock.close());
  return state;
}
