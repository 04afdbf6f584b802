export { startMockServer } from './mock-server/server.js';
export type {
  FailRule,
  IssueJwtOptions,
  IssueTokenOptions,
  MockClient,
  MockLatency,
  MockServer,
  MockServerOptions,
  MockStats,
  MockUser,
  MockWebhookControls,
  MockWebSocketControls,
  MockWebSocketOptions,
  MockWebSocketStats,
  RateLimitGroup,
  RateLimitRule,
  RawTokenResponse,
} from './mock-server/types.js';
export type { MockWebhookOptions } from './mock-server/webhook-settings.js';
export type { MockWebhookStats, MockWebhookSubscription } from './mock-server/webhooks.js';
export type { MakeTokenStore, TestApi, TokenStoreTestSuiteOptions } from './store-suite/index.js';
export { tokenStoreTestSuite } from './store-suite/index.js';
export type { DemoTarget } from './target.js';
export { demoTarget } from './target.js';
