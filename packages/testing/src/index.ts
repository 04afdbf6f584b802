export { startMockServer } from './mock-server/server.js';
export type {
  FailRule,
  IssueJwtOptions,
  IssueTokenOptions,
  MockClient,
  MockLatency,
  MockOverride,
  MockServer,
  MockServerOptions,
  MockStats,
  MockUser,
  MockWebhookControls,
  MockWebhookStats,
  MockWebhookSubscription,
  MockWebSocketControls,
  MockWebSocketOptions,
  MockWebSocketStats,
  OverrideBody,
  OverrideReply,
  OverrideRequest,
  RateLimitGroup,
  RateLimitRule,
  RawTokenResponse,
} from './mock-server/types.js';
export type { MockWebhookOptions } from './mock-server/webhook-settings.js';
export type { LockToLose, MakeTokenStore, TestApi, TokenStoreTestSuiteOptions } from './store-suite/index.js';
export { tokenStoreTestSuite } from './store-suite/index.js';
export type { DemoTarget } from './target.js';
export { demoTarget } from './target.js';
