import { timingSafeEqual } from '@rc/core/kit';
import { Dedup } from './dedup.js';
import { resolveHandlerOptions, type WebhookHandlerOptions } from './handler-options.js';
import { readLimited, TooLarge } from './read-body.js';
import type { WebhookNotification } from './types.js';

// The receiving side: one fetch-style function (Request in, Response out), so it runs unchanged
// wherever the web's Request/Response are the server's interface (Node through toNodeHandler(),
// Hono, Next.js route handlers, Deno, Bun, edge runtimes). Every refusal is decided before
// anything is passed on; replies are short and never echo what was sent, the token least of all.

/** A fetch-style request handler, as Hono, Next.js route handlers, Deno and Bun take. */
export type FetchHandler = (request: Request) => Promise<Response>;

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });

/** RingCentral's handshake token: printable ASCII, short; anything else is not echoed. */
const VALIDATION_TOKEN = /^[\x21-\x7e]{1,512}$/;

function parseNotification(raw: string): WebhookNotification | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 1024;
  if (!str(v.uuid) || !str(v.event) || !('body' in v)) return undefined;
  const ownerId = typeof v.ownerId === 'number' ? String(v.ownerId) : v.ownerId;
  return {
    uuid: v.uuid as string,
    event: v.event as string,
    timestamp: typeof v.timestamp === 'string' ? v.timestamp : '',
    subscriptionId: typeof v.subscriptionId === 'string' ? v.subscriptionId : '',
    ownerId: typeof ownerId === 'string' ? ownerId : undefined,
    body: v.body,
  };
}

/**
 * The outcome's reply, or a 200 when it has not come within `ms`: RingCentral counts a late reply
 * as a failure and documents no redelivery, so waiting on gains nothing. The work runs on; what
 * fails after the 200 reaches `onError` through passOn().
 */
async function replyWithin(outcome: Promise<Response>, ms: number): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Response>((resolve) => {
    timer = setTimeout(() => resolve(text(200, 'OK')), ms);
  });
  try {
    return await Promise.race([outcome, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A receiver of RingCentral webhooks, as a fetch-style handler: `(request: Request) => Promise<Response>`.
 *
 * - The validation handshake (a POST with a `Validation-Token` header and no body, sent when the
 *   subscription is created): answered 200 with the same header and an empty body.
 * - A delivery whose `Verification-Token` header is missing or wrong: 403, nothing passed on.
 * - A body that is not a notification: 400; larger than `maxBodyBytes`: 413; another method: 405.
 * - A notification: passed to `onNotification` once per `uuid` (a repeat is answered 200 and not
 *   passed on again; a repeat arriving while the first is still in `onNotification` waits, and is
 *   passed on if the first fails); 200 when it resolved, 500 when it threw (not acknowledged), 200
 *   when it is still running after `replyWithinMs` (it runs on; a later failure goes to `onError`).
 * - RingCentral wants a 200 within 3 s and documents no redelivery: a 500 does not bring the
 *   notification back, and an address that keeps failing or answering late is blacklisted
 *   (`createWebhook()` recreates it; what was sent meanwhile is lost). Make `onNotification` fast
 *   and durable (enqueue), and reconcile through the API after a gap (message-store sync).
 *   The mock (`@rc/testing`) redelivers failed deliveries: its model, not RingCentral's documented
 *   behaviour.
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/troubleshooting
 *
 * @throws {ConfigError} at the call, when an option is invalid or unknown.
 * @example
 * // Hono
 * const handler = webhookHandler({ verificationToken, onNotification: (n) => queue.push(n) });
 * app.post('/webhook', (c) => handler(c.req.raw));
 * // Next.js (app/webhook/route.ts)
 * export const POST = webhookHandler({ verificationToken, onNotification });
 * // node:http / Express
 * http.createServer(toNodeHandler(handler));
 * @see https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
 */
export function webhookHandler<F extends string = string>(options: WebhookHandlerOptions<F>): FetchHandler {
  const o = resolveHandlerOptions(options as unknown as WebhookHandlerOptions);
  const dedup = new Dedup(o.store, o.dedupTtlMs);

  return async (request) => {
    if (request.method !== 'POST') return text(405, 'Method Not Allowed', { Allow: 'POST' });
    let raw: string;
    try {
      raw = await readLimited(request, o.maxBodyBytes);
    } catch (error) {
      return error instanceof TooLarge ? text(413, 'Payload Too Large') : text(400, 'Bad Request');
    }
    const validation = request.headers.get('Validation-Token');
    if (validation !== null && raw.trim() === '') {
      if (!VALIDATION_TOKEN.test(validation)) return text(400, 'Bad Request');
      return new Response(null, { status: 200, headers: { 'Validation-Token': validation } });
    }
    if (o.verificationToken !== false) {
      // Always compared, an absent header as '': no early answer that would time the difference.
      const given = request.headers.get('Verification-Token') ?? '';
      if (!timingSafeEqual(given, o.verificationToken)) return text(403, 'Forbidden');
    }
    const notification = parseNotification(raw);
    if (!notification) return text(400, 'Bad Request');
    const outcome = passOn(notification);
    return o.replyWithinMs === false ? outcome : replyWithin(outcome, o.replyWithinMs);
  };

  /** Claims the uuid and passes the notification on; never rejects (a failure is a 5xx reply). */
  async function passOn(notification: WebhookNotification): Promise<Response> {
    let claim: Awaited<ReturnType<Dedup['claim']>>;
    try {
      claim = await dedup.claim(notification.uuid);
    } catch (error) {
      o.onError(error);
      return text(503, 'Service Unavailable'); // the store failed: not acknowledged
    }
    if (!claim) return text(200, 'OK'); // a repeat of what was passed on already
    try {
      await o.onNotification(notification);
      claim.passedOn();
      return text(200, 'OK');
    } catch (error) {
      await claim.release().catch((e: unknown) => o.onError(e));
      o.onError(error);
      return text(500, 'Internal Server Error');
    }
  }
}
