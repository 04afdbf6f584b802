export type { MockWebhookOptions } from './mock-server/notifications/webhook-settings.js';
export { startMockServer } from './mock-server/server.js';
export type {
  MockWebhookControls,
  MockWebhookStats,
  MockWebhookSubscription,
  MockWebSocketControls,
  MockWebSocketStats,
} from './mock-server/types/notifications.js';
export type {
  MockClient,
  MockLatency,
  MockServerOptions,
  MockUser,
  MockWebSocketOptions,
  RateLimitGroup,
  RateLimitRule,
} from './mock-server/types/options.js';
export type {
  FailRule,
  MockOverride,
  OverrideBody,
  OverrideReply,
  OverrideRequest,
} from './mock-server/types/overrides.js';
export type {
  IssueJwtOptions,
  IssueTokenOptions,
  MockServer,
  MockStats,
  RawTokenResponse,
} from './mock-server/types/server.js';
export type { LockToLose, MakeTokenStore, TestApi, TokenStoreTestSuiteOptions } from './store-suite/index.js';
export { tokenStoreTestSuite } from './store-suite/index.js';
export type { DemoTarget } from './target.js';
export { demoTarget } from './target.js';
