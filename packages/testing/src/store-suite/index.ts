// @rc/testing/store-suite: the TokenStore conformance suite alone, for store authors — no mock server,
// no ajv or ws loaded. `@rc/testing` re-exports it too.
export type { LockToLose, MakeTokenStore, TestApi, TokenStoreTestSuiteOptions } from './suite.js';
export { tokenStoreTestSuite } from './suite.js';
