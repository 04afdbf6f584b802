/** The state every handler shares, built once per server by `startMockServer`. */
import type { AuthCodes } from './auth-codes.js';
import type { ContentStore } from './content-store.js';
import type { Directory } from './directory.js';
import type { JwtCredentials } from './jwt-credentials.js';
import type { MessageStore } from './message-store.js';
import type { SubscriptionResource } from './notifications/subscription-resource.js';
import type { ResolvedOptions } from './options.js';
import type { RateLimiter } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import type { MockClient, MockUser } from './types/options.js';
import type { MockStats } from './types/server.js';

export interface MockContext {
  readonly options: ResolvedOptions;
  /** The server clock (the `now` option plus `advanceTime`), in epoch ms. */
  readonly now: () => number;
  /** The server clock when the server started: generated records (the call log) are dated from it. */
  readonly startedAt: number;
  /** `http://127.0.0.1:PORT`, for the `uri` fields of REST records. */
  readonly baseUrl: () => string;
  readonly sessions: Sessions;
  readonly codes: AuthCodes;
  readonly jwts: JwtCredentials;
  readonly limiter: RateLimiter;
  readonly stats: MockStats;
  /** Sizes of the generated lists (mutable: `setListSizes`). */
  readonly lists: ListSizes;
  /** Attachments of sent messages, for content downloads. */
  readonly content: ContentStore;
  /** The messages sent (SMS, fax), for the message store. */
  readonly messages: MessageStore;
  /** The account's extensions and their presence, with what `PUT`s changed. */
  readonly directory: Directory;
  /**
   * Emits a notification to every subscriber of `event` (the one entry for every delivery mode:
   * the server's `notify()` control is the same function).
   */
  notify(event: string, body: unknown): number;
  /** The subscription resource, both delivery modes (rest.ts routes HTTP requests to it). */
  readonly subscriptions: SubscriptionResource;
  findClient(clientId: string): MockClient | undefined;
  findUserById(userId: string): MockUser | undefined;
  /** Called with the query of every `GET /restapi/oauth/authorize`. */
  onAuthorizeRequest(query: Record<string, string>): void;
}

/** The wire paths of the OAuth endpoints. */
export const TOKEN_PATH = '/restapi/oauth/token';
export const REVOKE_PATH = '/restapi/oauth/revoke';
export const AUTHORIZE_PATH = '/restapi/oauth/authorize';

/** How many records the generated lists hold (the call log, Team Messaging chats). */
export interface ListSizes {
  callLog: number;
  chats: number;
}
