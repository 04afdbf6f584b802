// A type test (issue 18, new user's trial): under `exactOptionalPropertyTypes`, every optional
// option of every package accepts `undefined`, which means "not given" — so
// `redisStore({ url: process.env.REDIS_URL })` type-checks. Type-checked by the workspace's
// typecheck (sources) and by the tarball-install test (the packed .d.ts files), never run.

import type { AuthCodeGrantOptions, AuthorizeUrlOptions, ParseCallbackOptions } from '@rc/auth-code';
import { authCodeGrant, authorizeUrl, parseCallback } from '@rc/auth-code';
import { jwtGrant } from '@rc/auth-jwt';
import type { PasswordGrantOptions } from '@rc/auth-password';
import { passwordGrant } from '@rc/auth-password';
import {
  type Attachment,
  type AuthorizeOptions,
  type BatchGetOptions,
  type ClientOptions,
  type ConcurrencyOptions,
  concurrency,
  createClient,
  type LoggerOptions,
  logger,
  type MessageBodyOptions,
  type PaginateOptions,
  type PassThroughOptions,
  type RateLimitOptions,
  rateLimit,
  type SessionOptions,
} from '@rc/core';
import { type OtelOptions, otel } from '@rc/otel';
import { type MemoryStoreOptions, memoryStore } from '@rc/store-memory';
import { type RedisStoreOptions, redisStore } from '@rc/store-redis';
import { type SubscribeOptions, subscribe } from '@rc/subscriptions';
import type { MockServerOptions, TokenStoreTestSuiteOptions } from '@rc/testing';
import { type UndiciFetchOptions, undiciFetch } from '@rc/transport-undici';
import {
  type CreateWebhookOptions,
  createWebhook,
  type WebhookHandlerOptions,
  webhookHandler,
} from '@rc/webhooks';

/** The optional keys of T. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** The optional keys of T that refuse `undefined` (under exactOptionalPropertyTypes). */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];
/**
 * Compiles only when K is never: `none<RefusingUndefined<X>>()` fails naming every optional option
 * of X that refuses `undefined`. Exhaustive: no option is listed by hand.
 */
const none = <K extends never>(): K[] => [];
/** ky's own request options, passed through: their types are ky's (see the README). */
type Ours<T> = Omit<
  T,
  keyof PassThroughOptions | 'prefix' | 'baseUrl' | 'method' | 'body' | 'json' | 'searchParams'
>;

export function typeTests(env: Record<string, string | undefined>): unknown[] {
  const base = { server: 'https://platform.ringcentral.com', clientId: 'id' };
  return [
    // The trial's own lines: optional values straight from the environment.
    () => redisStore({ url: env.REDIS_URL, namespace: env.RC_NAMESPACE }),
    () => memoryStore({ namespace: env.RC_NAMESPACE }),
    () => createClient({ ...base, clientSecret: env.RC_CLIENT_SECRET, redirectUri: env.RC_REDIRECT_URI }),
    () => undiciFetch({ connections: undefined }),
    () => authorizeUrl(createClient(base).info, { redirectUri: env.RC_REDIRECT_URI }),
    () => authCodeGrant({ code: 'c', redirectUri: env.RC_REDIRECT_URI, codeVerifier: undefined }),
    () => parseCallback('https://app.example.com/cb?code=c&state=s', { state: 's' }),
    () => jwtGrant({ jwt: env.RC_JWT ?? '' }),
    () => passwordGrant({ username: 'u', password: 'p', extension: env.RC_EXTENSION }),
    () =>
      subscribe(createClient(base), {
        eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
        signal: undefined,
      }),
    () => rateLimit({ maxWaitMs: undefined }),
    () => concurrency({ max: 4, maxQueue: undefined }),
    () => logger({ log: undefined }),
    () =>
      createWebhook(createClient(base), {
        address: 'https://example.com/webhook',
        eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
        verificationToken: env.WEBHOOK_TOKEN,
        key: env.WEBHOOK_KEY,
      }),
    () =>
      webhookHandler({
        verificationToken: env.WEBHOOK_TOKEN ?? false,
        onNotification: () => {},
        store: undefined,
        eventFilters: undefined,
      }),
    () => otel({ tracerProvider: undefined, httpSpans: undefined }),
    // Every optional option of every public options type.
    none<RefusingUndefined<Ours<ClientOptions>>>(),
    none<RefusingUndefined<AuthorizeOptions>>(),
    none<RefusingUndefined<SessionOptions>>(),
    none<RefusingUndefined<RateLimitOptions>>(),
    none<RefusingUndefined<ConcurrencyOptions>>(),
    none<RefusingUndefined<LoggerOptions>>(),
    none<RefusingUndefined<MessageBodyOptions>>(),
    none<RefusingUndefined<Attachment>>(),
    none<RefusingUndefined<Ours<PaginateOptions>>>(),
    none<RefusingUndefined<Ours<BatchGetOptions>>>(),
    none<RefusingUndefined<MemoryStoreOptions>>(),
    none<RefusingUndefined<RedisStoreOptions>>(),
    none<RefusingUndefined<UndiciFetchOptions>>(),
    none<RefusingUndefined<SubscribeOptions>>(),
    none<RefusingUndefined<AuthorizeUrlOptions>>(),
    none<RefusingUndefined<AuthCodeGrantOptions>>(),
    none<RefusingUndefined<ParseCallbackOptions>>(),
    none<RefusingUndefined<PasswordGrantOptions>>(),
    none<RefusingUndefined<MockServerOptions>>(),
    none<RefusingUndefined<TokenStoreTestSuiteOptions>>(),
    none<RefusingUndefined<CreateWebhookOptions>>(),
    none<RefusingUndefined<WebhookHandlerOptions>>(),
    none<RefusingUndefined<OtelOptions>>(),
  ];
}
