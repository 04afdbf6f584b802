import { ConfigError, type RcClient } from '@rc/core';
import { backoffDelay, checkEventFilters, LeaseElection, requestSecrets, supportsState } from '@rc/core/kit';
import { WebhookError } from './errors.js';
import { StateKeeper, type WebhookState } from './state.js';
import type { Webhook } from './types.js';
import {
  type CreateWebhookOptions,
  type ResolvedWebhookOptions,
  resolveWebhookOptions,
} from './webhook-options.js';
import {
  createBody,
  isGone,
  parseInfo,
  SUBSCRIPTION_PATH,
  type SubscriptionInfo,
  timerDelay,
  updateBody,
} from './wire.js';

// The sending side's keeper: one WebHook subscription, created once and then renewed, checked and
// recreated for as long as the app runs. Among processes sharing the client's store, core's
// LeaseElection picks the one that does this work (the renewer); the others hold the state's id and
// take over when the renewer dies. Every step runs in one queue, so a renewal, a check and an
// update never race each other.

export class LiveWebhook implements Webhook {
  readonly #rc: RcClient;
  readonly #o: ResolvedWebhookOptions;
  readonly #keeper: StateKeeper;
  readonly #election: LeaseElection | undefined;
  readonly #tokenContext: { context: Record<string, unknown> };
  #state: WebhookState | undefined;
  #filters: string[];
  #closed = false;
  #attempt = 0;
  #queue: Promise<void> = Promise.resolve();
  #renewal: ReturnType<typeof setTimeout> | undefined;
  #check: ReturnType<typeof setTimeout> | undefined;

  constructor(rc: RcClient, o: ResolvedWebhookOptions) {
    this.#rc = rc;
    this.#o = o;
    // Every request of this webhook names the verification token as its own secret: a reply that
    // quotes it (a 400's `errors[].parameterValue`) is scrubbed of it before it becomes an error.
    this.#tokenContext = { context: requestSecrets([o.verificationToken]) };
    this.#filters = o.eventFilters;
    const key = o.key ?? `webhook:${rc.sessionKey}:${o.address}`;
    const store = supportsState(rc.store) ? rc.store : undefined;
    this.#keeper = new StateKeeper(store, key);
    if (store) {
      this.#election = new LeaseElection({
        store,
        key: `${key}:renewer`,
        ttlMs: o.leaseTtlMs,
        gained: (first) => (first ? this.#ensure() : this.#enqueue(() => this.#ensure())),
        lost: () => this.#stopTimers(),
        error: (error) => this.#o.onError(error),
      });
    }
  }

  get id() {
    return this.#state?.id;
  }
  get address() {
    return this.#o.address;
  }
  get eventFilters() {
    return [...this.#filters];
  }
  get expiresAt() {
    return this.#state?.expiresAt;
  }
  get holder() {
    return this.#election ? this.#election.holder : !this.#closed;
  }

  /** Creates or reuses the subscription (or, when another process renews it, reads its id). */
  async start(): Promise<void> {
    if (!this.#election) return this.#ensure();
    await this.#election.start();
    if (!this.#election.holder) this.#state = await this.#keeper.load();
  }

  async update(eventFilters: string[]): Promise<void> {
    const filters = checkEventFilters(eventFilters, 'update()');
    if (this.#closed) throw new ConfigError('update(): the webhook is closed', 'eventFilters');
    this.#filters = filters;
    if (!this.holder) return; // applied by this process when it becomes the renewer
    await this.#enqueue(() => this.#ensure());
  }

  async close(options: { unsubscribe?: boolean | undefined } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimers();
    await this.#queue;
    try {
      if (options.unsubscribe) {
        const id = (await this.#keeper.load())?.id ?? this.#state?.id;
        if (id)
          await this.#rc.delete(`${SUBSCRIPTION_PATH}/${id}`, this.#tokenContext).catch((e: unknown) => {
            if (!isGone(e)) throw e;
          });
        await this.#keeper.clear();
        this.#state = undefined;
      }
    } finally {
      await this.#election?.stop();
    }
  }

  /** Runs `step` after the steps queued before it; a failure is reported and retried with backoff. */
  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#closed || !this.holder) return;
      try {
        await step();
        this.#attempt = 0;
      } catch (error) {
        this.#o.onError(error);
        this.#attempt += 1;
        this.#stopTimers();
        this.#renewal = setTimeout(
          () => void this.#enqueue(() => this.#ensure()),
          backoffDelay(this.#attempt, 1000, 60_000),
        );
      }
    });
    this.#queue = run;
    return run;
  }

  /**
   * Makes the stored subscription the live one: reuses it when RingCentral still has it active
   * (updating its filters when they changed), else creates a new one (deleting a blacklisted one).
   */
  async #ensure(): Promise<void> {
    const saved = (await this.#keeper.load()) ?? this.#state;
    let info: SubscriptionInfo | undefined;
    if (saved && saved.address === this.#o.address) {
      info = await this.#get(saved.id);
      if (info && info.status !== 'Active') {
        // Blacklisted (or suspended): RingCentral will not deliver to it again. Remove it, make another.
        await this.#rc.delete(`${SUBSCRIPTION_PATH}/${saved.id}`, this.#tokenContext).catch((e: unknown) => {
          if (!isGone(e)) throw e;
        });
        info = undefined;
      } else if (info && saved.eventFilters.join('\n') !== this.#filters.join('\n')) {
        info = parseInfo(
          await this.#rc
            .put(`${SUBSCRIPTION_PATH}/${info.id}`, {
              json: updateBody(this.#filters, this.#o.expiresIn),
              ...this.#tokenContext,
            })
            .json(),
        );
      } else if (info && saved.renewAt <= Date.now()) {
        info = await this.#renewNow(info.id);
      }
    }
    info ??= parseInfo(
      await this.#rc
        .post(SUBSCRIPTION_PATH, {
          json: createBody({ ...this.#o, eventFilters: this.#filters }),
          ...this.#tokenContext,
        })
        .json(),
    );
    if (info.status !== 'Active')
      throw new WebhookError(`RingCentral made the subscription ${info.status}`, { errorCode: info.status });
    await this.#adopt(info);
  }

  /** The subscription as RingCentral has it now, or `undefined` when it is gone. */
  async #get(id: string): Promise<SubscriptionInfo | undefined> {
    try {
      return parseInfo(await this.#rc.get(`${SUBSCRIPTION_PATH}/${id}`, this.#tokenContext).json());
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  async #renewNow(id: string): Promise<SubscriptionInfo | undefined> {
    try {
      return parseInfo(
        await this.#rc
          .put(`${SUBSCRIPTION_PATH}/${id}`, {
            json: updateBody(this.#filters, this.#o.expiresIn),
            ...this.#tokenContext,
          })
          .json(),
      );
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  /** Records what RingCentral granted, saves it, and schedules the next renewal and check. */
  async #adopt(info: SubscriptionInfo): Promise<void> {
    const now = Date.now();
    const life = info.expiresInSec * 1000;
    this.#state = {
      id: info.id,
      address: this.#o.address,
      eventFilters: [...this.#filters],
      expiresAt: now + life,
      renewAt: now + life - Math.min(this.#o.renewBeforeMs, life / 2),
    };
    await this.#keeper.save(this.#state);
    this.#schedule();
  }

  #schedule(): void {
    this.#stopTimers();
    // Not after close(), nor after the lease went to another process while a step was running.
    if (this.#closed || !this.#state || !this.holder) return;
    const renewAt = this.#state.renewAt;
    const wait = renewAt - Date.now();
    // Past setTimeout's range the timer only wakes to wait again (it would fire at once otherwise).
    this.#renewal = setTimeout(() => {
      if (Date.now() < renewAt) return this.#schedule();
      void this.#enqueue(async () => {
        const id = this.#state?.id;
        const info = id ? await this.#renewNow(id) : undefined;
        if (info?.status === 'Active') await this.#adopt(info);
        else await this.#ensure();
      });
    }, timerDelay(wait));
    this.#check = setTimeout(
      () =>
        void this.#enqueue(async () => {
          const id = this.#state?.id;
          const info = id ? await this.#get(id) : undefined;
          if (info?.status === 'Active') this.#schedule();
          else await this.#ensure();
        }),
      timerDelay(this.#o.checkIntervalMs),
    );
  }

  #stopTimers(): void {
    clearTimeout(this.#renewal);
    clearTimeout(this.#check);
    this.#renewal = this.#check = undefined;
  }
}

/**
 * Creates a RingCentral WebHook subscription and keeps it alive: it renews it before it expires,
 * recreates it when RingCentral reports it blacklisted, expired or gone, and deletes it on
 * `close({ unsubscribe: true })`. Its state lives in the client's store (when that implements core's
 * `StateStore`: memory, Redis), so a restarted process reuses the subscription instead of creating
 * another, and among processes sharing the store exactly one renews (elected by lease; when it dies
 * another takes over within about `leaseTtlMs`). Creation makes RingCentral send the validation
 * handshake to `address`: the receiver (`webhookHandler()`) must be up first.
 *
 * @throws {ConfigError} as a rejection, before any request, when an option is invalid or unknown.
 * @throws {ApiError} when RingCentral refuses the subscription (`SUB-525`: the address did not
 *   echo the `Validation-Token` within 3 s).
 * @example
 * const hook = await createWebhook(rc, {
 *   address: 'https://example.com/webhook',
 *   eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store'],
 *   verificationToken: process.env.WEBHOOK_TOKEN,
 * });
 * // ... on shutdown (the subscription stays for the next start):
 * await hook.close();
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
 */
export async function createWebhook<F extends string>(
  rc: RcClient,
  options: CreateWebhookOptions<F>,
): Promise<Webhook> {
  const resolved = resolveWebhookOptions(options as unknown as CreateWebhookOptions);
  if (typeof rc !== 'object' || rc === null || typeof rc.post !== 'function' || !rc.store) {
    throw new ConfigError('createWebhook(rc, options): `rc` must be a client from createClient()', 'rc');
  }
  const webhook = new LiveWebhook(rc, resolved);
  await webhook.start();
  return webhook;
}
