// A mock server and a bearer header for its default user: one per test, or one per file.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

type MockFixture = { mock: MockServer; auth: { Authorization: string } };

function fixture(
  options: MockServerOptions | undefined,
  before: typeof beforeEach,
  after: typeof afterEach,
): MockFixture {
  const state = {} as MockFixture;
  before(async () => {
    state.mock = await startMockServer(options);
    state.auth = { Authorization: `Bearer ${state.mock.issueToken().access_token}` };
  });
  after(() => state.mock.close());
  return state;
}

/** A fresh mock for each test. */
export const withMock = (options?: MockServerOptions): MockFixture => fixture(options, beforeEach, afterEach);

/** One mock for the whole file (its tests share state: for checks that change none). */
export const withFileMock = (options?: MockServerOptions): MockFixture =>
  fixture(options, beforeAll, afterAll);
