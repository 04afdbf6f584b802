/**
 * WebHook subscriptions, as RingCentral runs them: `POST /restapi/v1.0/subscription` with
 * `deliveryMode.transportType: 'WebHook'` first sends the validation handshake to the address (a
 * POST carrying a `Validation-Token` header, to be echoed in a 200 within 3 s with a small body,
 * else `SUB-525`); `notify()` then POSTs each matching notification to the address with the
 * `Verification-Token` header when one was given; a delivery that fails (not a 2xx, no answer in
 * time) is retried with the same uuid; an address failing `blacklistAfter` times in a row is
 * `Blacklisted` and gets nothing more; a subscription past its `expiresIn` is gone (404).
 * Renewal: PUT (filters and/or `expiresIn`) or `POST …/renew`. Addresses must be loopback: the
 * mock never sends anything to another machine.
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
 */
import { randomUUID } from 'node:crypto';
import { isLoopbackHost } from '@rc/core/kit';
import type { MockContext } from './context.js';
import {
  accessTokenExpired,
  accessTokenNotFound,
  methodNotAllowed,
  missingBearer,
  rateExceeded,
  restError,
} from './errors.js';
import { bearerToken, json, type MockRequest, type Reply } from './http.js';
import { matchesFilters, readFilters, resolveEvent } from './notifications/event-filters.js';
import type { WebhookSettings } from './notifications/webhook-settings.js';
import type { MockWebhookStats, MockWebhookSubscription } from './types/notifications.js';

const PATH = /^\/restapi\/v1\.0\/subscription(?:\/([^/]+)(\/renew)?)?\/?$/;
/** RingCentral's longest WebHook lifetime (10 years) and its default (7 days), in seconds. */
const MAX_EXPIRES_IN = 315_360_000;
const DEFAULT_EXPIRES_IN = 604_800;
/** RingCentral refuses a handshake answer larger than this (body and headers). */
const MAX_HANDSHAKE_REPLY = 1024;

interface HookSubscription {
  id: string;
  userId: string;
  accountId: string;
  address: string;
  verificationToken: string | undefined;
  eventFilters: string[];
  creationTime: number;
  expiresIn: number;
  expiresAt: number;
  status: 'Active' | 'Blacklisted';
  /** Failed deliveries in a row. */
  failures: number;
  blacklistedAt?: number;
}

/** Whether a POST body asks for WebHook delivery (anything unreadable is left to the REST routes). */
function isWebHookBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { deliveryMode?: { transportType?: unknown } } | null;
    const type = parsed?.deliveryMode?.transportType;
    return typeof type === 'string' && type.toLowerCase() === 'webhook';
  } catch {
    return false;
  }
}

const mandatory = (name: string) =>
  restError(400, 'CMN-100', `Mandatory parameter [${name}] not specified`, { parameterName: name });
const invalid = (name: string) =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });
const gone = () =>
  restError(404, 'CMN-102', 'Resource for parameter [subscriptionId] is not found', {
    parameterName: 'subscriptionId',
  });

function readExpiresIn(body: Record<string, unknown>, fallback: number): number | undefined {
  const v = body.expiresIn;
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return undefined;
  return Math.min(v, MAX_EXPIRES_IN);
}

export class WebhookHub {
  readonly stats: MockWebhookStats = {
    created: 0,
    renewed: 0,
    deleted: 0,
    handshakesFailed: 0,
    deliveries: 0,
    failedDeliveries: 0,
    blacklisted: 0,
  };
  readonly #ctx: MockContext;
  readonly #o: WebhookSettings;
  readonly #subs = new Map<string, HookSubscription>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #stop = new AbortController();

  constructor(ctx: MockContext, settings: WebhookSettings) {
    this.#ctx = ctx;
    this.#o = settings;
  }

  /** The live WebHook subscriptions (expired ones are gone). */
  get subscriptions(): MockWebhookSubscription[] {
    this.#sweep();
    return [...this.#subs.values()].map((s) => ({
      id: s.id,
      address: s.address,
      eventFilters: [...s.eventFilters],
      status: s.status,
      expiresAt: s.expiresAt,
      failures: s.failures,
    }));
  }

  /**
   * Answers what concerns WebHook subscriptions under `/restapi/v1.0/subscription`: a POST whose
   * `deliveryMode.transportType` is `WebHook`, a request naming one of its subscriptions, and the
   * list (WebHook and WebSocket subscriptions together). `undefined` for everything else, which the
   * REST routes answer (WebSocket subscriptions, the description's checks).
   */
  route(req: MockRequest): Promise<Reply> | undefined {
    const match = PATH.exec(req.path);
    if (!match) return undefined;
    const id = match[1];
    if (id === undefined && req.method === 'POST' && !isWebHookBody(req.body)) return undefined;
    if (id !== undefined && !this.#subs.has(id)) return undefined;
    return this.#handle(req, id, match[2] !== undefined);
  }

  /** Delivers a notification to every active WebHook subscription matching `event`; returns how many. */
  notify(event: string, body: unknown): number {
    this.#sweep();
    let count = 0;
    for (const sub of this.#subs.values()) {
      if (sub.status !== 'Active') continue;
      const concrete = resolveEvent(event, sub);
      if (!matchesFilters(concrete, sub.eventFilters, sub)) continue;
      const payload = JSON.stringify({
        uuid: randomUUID(),
        event: concrete,
        timestamp: new Date(this.#ctx.now()).toISOString(),
        subscriptionId: sub.id,
        ownerId: sub.userId,
        body,
      });
      void this.#deliver(sub, payload, 0);
      count++;
    }
    return count;
  }

  /** Stops every delivery and retry (the server is closing). */
  close(): void {
    this.#stop.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #handle(req: MockRequest, id: string | undefined, renew: boolean): Promise<Reply> {
    const token = bearerToken(req);
    if (!token) return missingBearer();
    const found = this.#ctx.sessions.findByAccess(token);
    if ('missing' in found) return found.missing === 'expired' ? accessTokenExpired() : accessTokenNotFound();
    const user = this.#ctx.findUserById(found.session.userId);
    if (!user) return accessTokenNotFound();
    const limit = this.#ctx.limiter.check('Medium', user.id);
    if (limit.limited) return rateExceeded(limit.retryAfterSec, limit.headers);
    const reply = await this.#resource(req, id, renew, user.id, user.accountId ?? '1');
    return { ...reply, headers: { ...limit.headers, ...reply.headers } };
  }

  async #resource(
    req: MockRequest,
    id: string | undefined,
    renew: boolean,
    userId: string,
    accountId: string,
  ): Promise<Reply> {
    this.#sweep();
    if (id === undefined) {
      if (req.method === 'GET') {
        // The caller's WebSocket subscriptions (the gateway's) are listed beside its WebHook ones.
        const [, sockets] = this.#ctx.subscriptions(userId, 'GET', '', false, null);
        const socketRecords = (sockets as { records?: unknown[] } | undefined)?.records ?? [];
        return json(200, {
          uri: `${this.#ctx.baseUrl()}/restapi/v1.0/subscription`,
          records: [
            ...[...this.#subs.values()].filter((s) => s.userId === userId).map((s) => this.#info(s)),
            ...socketRecords,
          ],
        });
      }
      if (req.method !== 'POST') return methodNotAllowed('GET, POST');
      return this.#create(req, userId, accountId);
    }
    const sub = this.#subs.get(id);
    if (!sub || sub.userId !== userId) return gone();
    if (renew) {
      if (req.method !== 'POST') return methodNotAllowed('POST');
      sub.expiresAt = this.#ctx.now() + sub.expiresIn * 1000;
      this.stats.renewed++;
      return json(200, this.#info(sub));
    }
    switch (req.method) {
      case 'GET':
        return json(200, this.#info(sub));
      case 'DELETE':
        this.#subs.delete(id);
        this.stats.deleted++;
        return { status: 204, headers: {}, body: '' };
      case 'PUT': {
        const body = parseObject(req.body);
        if (!body) return invalid('body');
        if ('eventFilters' in body) {
          const filters = readFilters(body);
          if (!filters) return invalid('eventFilters');
          sub.eventFilters = filters;
        }
        const expiresIn = readExpiresIn(body, sub.expiresIn);
        if (expiresIn === undefined) return invalid('expiresIn');
        sub.expiresIn = expiresIn;
        sub.expiresAt = this.#ctx.now() + expiresIn * 1000;
        this.stats.renewed++;
        return json(200, this.#info(sub));
      }
      default:
        return methodNotAllowed('GET, PUT, DELETE');
    }
  }

  async #create(req: MockRequest, userId: string, accountId: string): Promise<Reply> {
    const body = parseObject(req.body);
    if (!body) return invalid('body');
    if (body.eventFilters === undefined) return mandatory('eventFilters');
    const filters = readFilters(body);
    if (!filters) return invalid('eventFilters');
    const mode = (body.deliveryMode ?? {}) as Record<string, unknown>;
    if (mode.transportType !== 'WebHook') return invalid('deliveryMode.transportType');
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
    const expiresIn = readExpiresIn(body, DEFAULT_EXPIRES_IN);
    if (expiresIn === undefined) return invalid('expiresIn');
    if (!(await this.#handshake(address.href))) {
      this.stats.handshakesFailed++;
      return restError(400, 'SUB-525', 'WebHook server response is invalid');
    }
    const now = this.#ctx.now();
    const sub: HookSubscription = {
      id: randomUUID(),
      userId,
      accountId,
      address: address.href,
      verificationToken,
      eventFilters: filters,
      creationTime: now,
      expiresIn,
      expiresAt: now + expiresIn * 1000,
      status: 'Active',
      failures: 0,
    };
    this.#subs.set(sub.id, sub);
    this.stats.created++;
    return json(200, this.#info(sub));
  }

  /** The validation request: a 200 echoing the token, small, within `validationTimeoutMs`. */
  async #handshake(address: string): Promise<boolean> {
    const token = randomUUID();
    try {
      const res = await fetch(address, {
        method: 'POST',
        headers: { 'Validation-Token': token, 'User-Agent': 'RingCentral-Webhook/8.3 (mock)' },
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.validationTimeoutMs), this.#stop.signal]),
        redirect: 'manual',
      });
      const reply = await res.arrayBuffer();
      let size = reply.byteLength;
      res.headers.forEach((value, name) => {
        size += name.length + value.length + 4;
      });
      return (
        res.status === 200 && res.headers.get('Validation-Token') === token && size <= MAX_HANDSHAKE_REPLY
      );
    } catch {
      return false;
    }
  }

  /** One delivery attempt; a failure is retried after `retryDelaysMs[attempt]`, or blacklists. */
  async #deliver(sub: HookSubscription, payload: string, attempt: number): Promise<void> {
    if (this.#stop.signal.aborted || this.#subs.get(sub.id) !== sub || sub.status !== 'Active') return;
    if (sub.expiresAt <= this.#ctx.now()) return;
    this.stats.deliveries++;
    let ok = false;
    try {
      const res = await fetch(sub.address, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'User-Agent': 'RingCentral-Webhook/8.3 (mock)',
          ...(sub.verificationToken === undefined ? {} : { 'Verification-Token': sub.verificationToken }),
        },
        body: payload,
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.deliveryTimeoutMs), this.#stop.signal]),
        redirect: 'manual',
      });
      await res.arrayBuffer();
      ok = res.status >= 200 && res.status < 300;
    } catch {
      ok = false;
    }
    if (ok) {
      sub.failures = 0;
      return;
    }
    this.stats.failedDeliveries++;
    sub.failures++;
    if (sub.failures >= this.#o.blacklistAfter) {
      if (sub.status === 'Active') this.stats.blacklisted++;
      sub.status = 'Blacklisted';
      sub.blacklistedAt = this.#ctx.now();
      return;
    }
    const delay = this.#o.retryDelaysMs[attempt];
    if (delay === undefined || this.#stop.signal.aborted) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#deliver(sub, payload, attempt + 1);
    }, delay);
    this.#timers.add(timer);
  }

  /** Subscriptions past their expiry are gone, as on RingCentral. */
  #sweep(): void {
    const now = this.#ctx.now();
    for (const [id, sub] of this.#subs) if (sub.expiresAt <= now) this.#subs.delete(id);
  }

  #info(sub: HookSubscription) {
    const now = this.#ctx.now();
    return {
      uri: `${this.#ctx.baseUrl()}/restapi/v1.0/subscription/${sub.id}`,
      id: sub.id,
      creationTime: new Date(sub.creationTime).toISOString(),
      status: sub.status,
      eventFilters: sub.eventFilters.map((f) => resolveEvent(f, sub)),
      expirationTime: new Date(sub.expiresAt).toISOString(),
      expiresIn: Math.max(0, Math.round((sub.expiresAt - now) / 1000)),
      deliveryMode: { transportType: 'WebHook', address: sub.address, encryption: false },
      ...(sub.blacklistedAt === undefined
        ? {}
        : {
            blacklistedData: {
              blacklistedAt: new Date(sub.blacklistedAt).toISOString(),
              reason: 'Webhook responses are failing',
            },
          }),
    };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
