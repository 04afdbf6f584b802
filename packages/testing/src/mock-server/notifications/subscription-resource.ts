/**
 * The one subscription resource, `/restapi/v1.0/subscription`, for both delivery modes and both ways
 * in: HTTP requests (routed by rest.ts, which authenticates and meters them) and the `ClientRequest`s
 * a WebSocket session sends over its socket. Create, read, update (PUT), renew and delete work alike
 * on a WebSocket and a WebHook subscription, and the list holds both, as RingCentral lists an
 * extension's subscriptions together. What differs by mode is named where it differs: a WebSocket
 * subscription is created over the socket of the session that will receive it and lives the
 * gateway's `subscriptionTtlSec`; a WebHook one is created over HTTP, once its address passes the
 * validation handshake, and lives its `expiresIn`. Delivering is not here: the gateway and the
 * WebHook deliverer read the records this resource writes.
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
 */
import { randomUUID } from 'node:crypto';
import { isLoopbackHost } from '@rc/core/kit';
import { restErrorBody } from '../errors.js';
import type { MockWebhookStats, MockWebSocketStats } from '../types/notifications.js';
import { readFilters, resolveEvent } from './event-filters.js';
import type { Caller, Subscription, SubscriptionRecords } from './subscription-records.js';

/** A reply as a status and a JSON body (`null` with 204), for HTTP and the socket alike. */
export type Outcome = [status: number, body: unknown];
/**
 * Synchronous but for a WebHook creation (it waits for the handshake), so that a socket's replies
 * leave in the order its requests came.
 */
export type Answer = Outcome | Promise<Outcome>;

const PATH = /^\/restapi\/v1\.0\/subscription(?:\/([^/?]+)(\/renew)?)?\/?$/;
/** RingCentral's longest WebHook lifetime (10 years) and its default (7 days), in seconds. */
const MAX_EXPIRES_IN = 315_360_000;
const DEFAULT_EXPIRES_IN = 604_800;

export interface SubscriptionResourceDeps {
  now: () => number;
  baseUrl: () => string;
  records: SubscriptionRecords;
  /** A WebSocket subscription's lifetime (the gateway's `subscriptionTtlSec`). */
  webSocketTtlSec: number;
  /** The WebHook validation handshake: whether `address` echoed the token in time. */
  handshake: (address: string) => Promise<boolean>;
  stats: { webSocket: MockWebSocketStats; webhooks: MockWebhookStats };
}

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

const refusal = (status: number, code: string, message: string, detail: Body = {}): Outcome => [
  status,
  restErrorBody(code, message, detail),
];
const mandatory = (name: string) =>
  refusal(400, 'CMN-100', `Mandatory parameter [${name}] not specified`, { parameterName: name });
const invalid = (name: string) =>
  refusal(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });
const gone = () =>
  refusal(404, 'CMN-102', 'Resource for parameter [subscriptionId] is not found', {
    parameterName: 'subscriptionId',
  });
const notAllowed = () => refusal(405, 'CMN-405', 'Method not allowed');

function readExpiresIn(body: Body, fallback: number): number | undefined {
  const v = body.expiresIn;
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return undefined;
  return Math.min(v, MAX_EXPIRES_IN);
}

export class SubscriptionResource {
  readonly #d: SubscriptionResourceDeps;

  constructor(deps: SubscriptionResourceDeps) {
    this.#d = deps;
  }

  /** Answers a request on `path`; `undefined` when `path` is not the subscription resource. */
  request(caller: Caller, method: string, path: string, body: unknown): Answer | undefined {
    const match = PATH.exec(path);
    if (!match) return undefined;
    return this.#route(caller, method, match[1], match[2] !== undefined, body);
  }

  #route(caller: Caller, method: string, id: string | undefined, renew: boolean, body: unknown): Answer {
    if (id === undefined) {
      if (method === 'GET') return this.#list(caller);
      return method === 'POST' ? this.#create(caller, body) : notAllowed();
    }
    const sub = this.#d.records.find(caller, id);
    if (!sub) return gone();
    if (renew) return method === 'POST' ? this.#renew(sub, caller) : notAllowed();
    switch (method) {
      case 'GET':
        return [200, this.#info(sub, caller)];
      case 'PUT':
        return this.#update(sub, caller, body);
      case 'DELETE':
        this.#d.records.delete(sub.id);
        if (sub.transportType === 'WebHook') this.#d.stats.webhooks.deleted++;
        return [204, null];
      default:
        return notAllowed();
    }
  }

  #list(caller: Caller): Outcome {
    const records = this.#d.records.list(caller).map((sub) => this.#info(sub, caller));
    return [200, { uri: `${this.#d.baseUrl()}/restapi/v1.0/subscription`, records }];
  }

  #create(caller: Caller, body: unknown): Answer {
    if (!isObject(body)) return invalid('body');
    if (body.eventFilters === undefined) return mandatory('eventFilters');
    const eventFilters = readFilters(body);
    if (!eventFilters) return invalid('eventFilters');
    const mode = isObject(body.deliveryMode) ? body.deliveryMode : {};
    const owner = { userId: caller.userId, accountId: caller.accountId, eventFilters };
    // A WebSocket subscription is made over the socket of the session that will receive it.
    if (mode.transportType === 'WebSocket' && caller.session !== undefined) {
      const now = this.#d.now();
      const lifetimeSec = this.#d.webSocketTtlSec;
      const sub: Subscription = {
        ...owner,
        id: randomUUID(),
        transportType: 'WebSocket',
        session: caller.session,
        creationTime: now,
        lifetimeSec,
        expiresAt: now + lifetimeSec * 1000,
      };
      this.#d.records.add(sub);
      this.#d.stats.webSocket.subscriptions++;
      return [200, this.#info(sub, caller)];
    }
    if (mode.transportType !== 'WebHook' || caller.session !== undefined)
      return invalid('deliveryMode.transportType');
    return this.#createWebHook(caller, owner, mode, body);
  }

  async #createWebHook(
    caller: Caller,
    owner: Pick<Subscription, 'userId' | 'accountId' | 'eventFilters'>,
    mode: Body,
    body: Body,
  ): Promise<Outcome> {
    const address =
      typeof mode.address === 'string' && URL.canParse(mode.address) ? new URL(mode.address) : undefined;
    // Loopback only: the mock is for tests, and must never be made to POST to another machine.
    if (!address || !/^https?:$/.test(address.protocol) || !isLoopbackHost(address.hostname))
      return invalid('deliveryMode.address');
    const verificationToken = mode.verificationToken;
    if (
      verificationToken !== undefined &&
      (typeof verificationToken !== 'string' || verificationToken === '')
    )
      return invalid('deliveryMode.verificationToken');
    const lifetimeSec = readExpiresIn(body, DEFAULT_EXPIRES_IN);
    if (lifetimeSec === undefined) return invalid('expiresIn');
    if (!(await this.#d.handshake(address.href)))
      return refusal(400, 'SUB-525', 'WebHook server response is invalid');
    const now = this.#d.now();
    const sub: Subscription = {
      ...owner,
      id: randomUUID(),
      transportType: 'WebHook',
      address: address.href,
      verificationToken,
      creationTime: now,
      lifetimeSec,
      expiresAt: now + lifetimeSec * 1000,
      status: 'Active',
      failures: 0,
    };
    this.#d.records.add(sub);
    this.#d.stats.webhooks.created++;
    return [200, this.#info(sub, caller)];
  }

  /** PUT: new filters and (a WebHook's) new lifetime, both checked before either applies; then a renewal. */
  #update(sub: Subscription, caller: Caller, body: unknown): Outcome {
    if (body !== null && body !== undefined && !isObject(body)) return invalid('body');
    const changes = body ?? {};
    const eventFilters = 'eventFilters' in changes ? readFilters(changes) : sub.eventFilters;
    if (!eventFilters) return invalid('eventFilters');
    // A WebHook subscription may change its lifetime; a WebSocket one lives the gateway's TTL.
    const lifetimeSec =
      sub.transportType === 'WebHook' ? readExpiresIn(changes, sub.lifetimeSec) : sub.lifetimeSec;
    if (lifetimeSec === undefined) return invalid('expiresIn');
    sub.eventFilters = eventFilters;
    sub.lifetimeSec = lifetimeSec;
    return this.#renew(sub, caller);
  }

  #renew(sub: Subscription, caller: Caller): Outcome {
    sub.expiresAt = this.#d.now() + sub.lifetimeSec * 1000;
    if (sub.transportType === 'WebHook') this.#d.stats.webhooks.renewed++;
    return [200, this.#info(sub, caller)];
  }

  /** The wire record. Over the socket `expiresIn` keeps the fractions of a fast test's fractional TTL. */
  #info(sub: Subscription, caller: Caller) {
    const left = Math.max(0, sub.expiresAt - this.#d.now()) / 1000;
    const hook = sub.transportType === 'WebHook' ? sub : undefined;
    return {
      uri: `${this.#d.baseUrl()}/restapi/v1.0/subscription/${sub.id}`,
      id: sub.id,
      creationTime: new Date(sub.creationTime).toISOString(),
      status: hook?.status ?? 'Active',
      // A WebHook record shows its filters with `~` resolved, a WebSocket one as it was given.
      eventFilters: sub.eventFilters.map((f) => (hook ? resolveEvent(f, sub) : f)),
      expirationTime: new Date(sub.expiresAt).toISOString(),
      expiresIn: caller.session === undefined ? Math.round(left) : Math.round(left * 1000) / 1000,
      deliveryMode: hook
        ? { transportType: 'WebHook', address: hook.address, encryption: false }
        : { transportType: 'WebSocket', encryption: false },
      ...(hook?.blacklistedAt === undefined
        ? {}
        : {
            blacklistedData: {
              blacklistedAt: new Date(hook.blacklistedAt).toISOString(),
              reason: 'Webhook responses are failing',
            },
          }),
    };
  }
}
