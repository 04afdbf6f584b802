/** RingCentral's production API server. */
export const SERVER_PRODUCTION = 'https://platform.ringcentral.com';
/** RingCentral's developer sandbox. */
export const SERVER_SANDBOX = 'https://platform.devtest.ringcentral.com';

/**
 * RingCentral's media server for each of its API servers: recordings, fax and voicemail content
 * are served there (the API description's second server), with the same bearer token.
 */
export const MEDIA_SERVERS: Readonly<Record<string, string>> = {
  [SERVER_PRODUCTION]: 'https://media.ringcentral.com',
  [SERVER_SANDBOX]: 'https://media.devtest.ringcentral.com',
};

/** Protocol paths, relative to the server (joined to the server with ky's `prefix`). */
export const TOKEN_PATH = 'restapi/oauth/token';
export const REVOKE_PATH = 'restapi/oauth/revoke';
export const AUTHORIZE_PATH = 'restapi/oauth/authorize';

/** The default session's store key. */
export const DEFAULT_SESSION_KEY = 'default';
/** Refresh this long before the access token expires (never more than half its lifetime). */
export const DEFAULT_REFRESH_SKEW_MS = 60_000;
/**
 * RingCentral's limit of ids in one batch request. Here, not in batch/batch-get.ts, so that the
 * index's export of it does not pull batchGet's code into a bundle that never calls it.
 */
export const MAX_BATCH_IDS = 30;
