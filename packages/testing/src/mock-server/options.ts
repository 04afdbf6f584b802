import { ConfigError } from '@rc/core';
import { checkOptions, optionNames } from '@rc/core/kit';
import { resolveWebhookSettings, type WebhookSettings } from './notifications/webhook-settings.js';
import type { GatewayOptions } from './notifications/ws-settings.js';
import type {
  MockClient,
  MockLatency,
  MockServerOptions,
  MockUser,
  MockWebSocketOptions,
  RateLimitGroup,
  RateLimitRule,
} from './types/options.js';

/** Every option of startMockServer() (typed both ways: the list cannot drift from MockServerOptions). */
const KNOWN = optionNames<MockServerOptions>()([
  'port',
  'clients',
  'users',
  'accessTokenTtl',
  'refreshTokenTtl',
  'ttlBounds',
  'latencyMs',
  'now',
  'rateLimits',
  'callLogSize',
  'chatCount',
  'directorySize',
  'webSocket',
  'webhooks',
]);

/** RingCentral's documented defaults; penalties are 60 s for every group. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitGroup, RateLimitRule> = {
  Auth: { limit: 5, windowSec: 60, penaltySec: 60 },
  Light: { limit: 50, windowSec: 60, penaltySec: 60 },
  Medium: { limit: 40, windowSec: 60, penaltySec: 60 },
  Heavy: { limit: 10, windowSec: 60, penaltySec: 60 },
};

const GROUPS = Object.keys(DEFAULT_RATE_LIMITS) as RateLimitGroup[];

export const DEFAULT_CLIENTS: MockClient[] = [
  { clientId: 'mock-client-id', clientSecret: 'mock-client-secret' },
  { clientId: 'mock-public-client' },
];

export const DEFAULT_USERS: MockUser[] = [
  {
    id: '101',
    username: '+16505550100',
    extension: '101',
    password: 'mock-password',
    name: 'Mock User',
    email: 'mock.user@example.com',
    accountId: '1',
  },
];

/** Options after defaults and validation: everything the handlers read. */
export interface ResolvedOptions {
  port: number;
  clients: MockClient[];
  users: MockUser[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  ttlBounds: { accessMin: number; accessMax: number; refreshMax: number };
  latency: { min: number; max: number };
  now: () => number;
  rateLimitsEnforced: boolean;
  rateLimits: Record<RateLimitGroup, RateLimitRule>;
  callLogSize: number;
  chatCount: number;
  directorySize: number;
  webSocket: GatewayOptions;
  webhooks: WebhookSettings;
}

// Option mistakes throw a ConfigError naming the option, at startMockServer() rather than at the
// first request, so a broken test setup fails where it is written.
function fail(option: string, what: string): never {
  throw new ConfigError(`startMockServer: option "${option}" ${what}`, option);
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Checks a latency option and turns it into a `[min, max]` range. */
export function resolveLatency(value: MockLatency | undefined, option: string): { min: number; max: number } {
  if (value === undefined) return { min: 0, max: 0 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) fail(option, 'must be a number of ms >= 0');
    return { min: value, max: value };
  }
  if (typeof value !== 'object' || value === null) fail(option, 'must be a number or { min, max }');
  const { min, max } = value;
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max)) {
    fail(option, 'must have finite numbers min and max');
  }
  if (min < 0 || max < min) fail(option, 'must satisfy 0 <= min <= max');
  return { min, max };
}

function resolveClients(clients: MockClient[] | undefined): MockClient[] {
  if (clients === undefined) return DEFAULT_CLIENTS.map((c) => ({ ...c }));
  if (!Array.isArray(clients) || clients.length === 0) fail('clients', 'must be a non-empty array');
  const seen = new Set<string>();
  clients.forEach((c, i) => {
    if (!isNonEmptyString(c?.clientId)) fail(`clients[${i}].clientId`, 'must be a non-empty string');
    if (seen.has(c.clientId)) fail(`clients[${i}].clientId`, 'is a duplicate');
    seen.add(c.clientId);
    if (c.clientSecret !== undefined && !isNonEmptyString(c.clientSecret)) {
      fail(`clients[${i}].clientSecret`, 'must be a non-empty string when given');
    }
    if (c.clientCredentialsUserId !== undefined && !isNonEmptyString(c.clientCredentialsUserId)) {
      fail(`clients[${i}].clientCredentialsUserId`, 'must be a non-empty string when given');
    }
    if (c.redirectUris !== undefined) {
      if (!Array.isArray(c.redirectUris)) fail(`clients[${i}].redirectUris`, 'must be an array of URLs');
      c.redirectUris.forEach((u, j) => {
        if (typeof u !== 'string' || !URL.canParse(u))
          fail(`clients[${i}].redirectUris[${j}]`, 'must be an absolute URL');
      });
    }
  });
  return clients.map((c) => ({ ...c }));
}

function resolveUsers(users: MockUser[] | undefined): MockUser[] {
  if (users === undefined) return DEFAULT_USERS.map((u) => ({ ...u }));
  if (!Array.isArray(users) || users.length === 0) fail('users', 'must be a non-empty array');
  const seen = new Set<string>();
  users.forEach((u, i) => {
    for (const key of ['id', 'username', 'password', 'name'] as const) {
      if (!isNonEmptyString(u?.[key])) fail(`users[${i}].${key}`, 'must be a non-empty string');
    }
    if (seen.has(u.id)) fail(`users[${i}].id`, 'is a duplicate');
    seen.add(u.id);
    for (const key of ['extension', 'email', 'accountId'] as const) {
      if (u[key] !== undefined && !isNonEmptyString(u[key]))
        fail(`users[${i}].${key}`, 'must be a non-empty string when given');
    }
  });
  return users.map((u) => ({ ...u }));
}

function resolveRateLimits(
  value: MockServerOptions['rateLimits'],
): Pick<ResolvedOptions, 'rateLimitsEnforced' | 'rateLimits'> {
  const rules = Object.fromEntries(GROUPS.map((g) => [g, { ...DEFAULT_RATE_LIMITS[g] }])) as Record<
    RateLimitGroup,
    RateLimitRule
  >;
  if (value === undefined || typeof value === 'boolean')
    return { rateLimitsEnforced: value === true, rateLimits: rules };
  if (typeof value !== 'object' || value === null)
    fail('rateLimits', 'must be a boolean or an object of groups');
  for (const [group, override] of Object.entries(value)) {
    if (!GROUPS.includes(group as RateLimitGroup))
      fail(`rateLimits.${group}`, `is not a group (${GROUPS.join(', ')})`);
    if (override === undefined) continue;
    if (typeof override !== 'object' || override === null) fail(`rateLimits.${group}`, 'must be an object');
    const rule = rules[group as RateLimitGroup];
    for (const key of ['limit', 'windowSec', 'penaltySec'] as const) {
      const v = override[key];
      if (v === undefined) continue;
      if (!isPositive(v)) fail(`rateLimits.${group}.${key}`, 'must be a positive number');
      if (key === 'limit' && !Number.isInteger(v)) fail(`rateLimits.${group}.limit`, 'must be an integer');
      rule[key] = v;
    }
  }
  return { rateLimitsEnforced: true, rateLimits: rules };
}

/** Checks a list size (an integer >= 0). */
export function listSize(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 10_000_000)
    fail(option, 'must be an integer in 0..10000000');
  return value;
}

const WS_DEFAULTS: GatewayOptions = {
  recoveryTimeoutSec: 180,
  idleTimeoutSec: 60,
  absoluteTimeoutSec: 86_400,
  recoveryBufferSize: 100,
  tokenTtlSec: 60,
  subscriptionTtlSec: 900,
};

function resolveWebSocket(value: MockWebSocketOptions | undefined): GatewayOptions {
  if (value === undefined) return { ...WS_DEFAULTS };
  if (typeof value !== 'object' || value === null) fail('webSocket', 'must be an object');
  const out = { ...WS_DEFAULTS };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in WS_DEFAULTS))
      fail(`webSocket.${key}`, `is not an option (${Object.keys(WS_DEFAULTS).join(', ')})`);
    if (v === undefined) continue;
    if (!isPositive(v)) fail(`webSocket.${key}`, 'must be a positive number');
    if (key === 'recoveryBufferSize' && !Number.isInteger(v))
      fail('webSocket.recoveryBufferSize', 'must be an integer');
    out[key as keyof GatewayOptions] = v;
  }
  return out;
}

/** Applies defaults and validates every option: an unknown one (checkOptions) or a bad value is a ConfigError naming it. */
export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  checkOptions(options, KNOWN, 'startMockServer()');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('port', 'must be an integer in 0..65535');
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  if (!isPositive(accessTokenTtl)) fail('accessTokenTtl', 'must be a positive number of seconds');
  const refreshTokenTtl = options.refreshTokenTtl ?? 604800;
  if (!isPositive(refreshTokenTtl)) fail('refreshTokenTtl', 'must be a positive number of seconds');
  const ttlBounds = options.ttlBounds ?? { accessMin: 600, accessMax: 3600, refreshMax: 604800 };
  if (
    typeof ttlBounds !== 'object' ||
    ttlBounds === null ||
    !isPositive(ttlBounds.accessMin) ||
    !isPositive(ttlBounds.accessMax) ||
    !isPositive(ttlBounds.refreshMax) ||
    ttlBounds.accessMin > ttlBounds.accessMax
  ) {
    fail(
      'ttlBounds',
      'must be { accessMin, accessMax, refreshMax } of positive seconds with accessMin <= accessMax',
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') fail('now', 'must be a function returning epoch ms');
  const clients = resolveClients(options.clients);
  const users = resolveUsers(options.users);
  clients.forEach((c, i) => {
    if (c.clientCredentialsUserId !== undefined && !users.some((u) => u.id === c.clientCredentialsUserId)) {
      fail(`clients[${i}].clientCredentialsUserId`, 'must be the id of one of the users');
    }
  });
  const callLogSize = listSize(options.callLogSize, 100, 'callLogSize');
  const chatCount = listSize(options.chatCount, 30, 'chatCount');
  const directorySize = listSize(options.directorySize, 100, 'directorySize');
  return {
    port,
    clients,
    users,
    accessTokenTtl,
    refreshTokenTtl,
    ttlBounds: { ...ttlBounds },
    latency: resolveLatency(options.latencyMs, 'latencyMs'),
    now,
    ...resolveRateLimits(options.rateLimits),
    callLogSize,
    chatCount,
    directorySize,
    webSocket: resolveWebSocket(options.webSocket),
    webhooks: resolveWebhookSettings(options.webhooks),
  };
}
