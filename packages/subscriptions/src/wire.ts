import { redactUrl } from '@rc/core';
import { isLoopbackHost } from '@rc/core/kit';
import { SubscriptionError } from './errors.js';
import { lifetimeSec } from './lifetime.js';
import type { KnownSecrets } from './secrets.js';
import type { Notification } from './types.js';

// The only place that reads or writes the gateway's wire format (RingCentral's WebSocket protocol):
// the wstoken reply, frames `[meta, body]`, ConnectionDetails, ClientRequest, ServerNotification.
// The rest of the package speaks the camelCase types below.
// https://developers.ringcentral.com/guide/notifications/websockets/subscribing

export interface WsToken {
  uri: string;
  token: string;
  expiresInSec: number;
}

export interface Wsc {
  token: string;
  sequence: number;
}

export interface ConnectionDetails {
  recoveryState: 'Successful' | 'Failed' | undefined;
  recoveryErrorCode: string | undefined;
  /** Seconds. */
  recoveryTimeout: number;
  idleTimeout: number;
  absoluteTimeout: number;
}

export interface SubscriptionInfo {
  id: string;
  eventFilters: string[];
  expiresInSec: number | undefined;
}

/** A parsed frame. */
export type Frame =
  | { type: 'ConnectionDetails'; wsc: Wsc | undefined; details: ConnectionDetails }
  | { type: 'ServerNotification'; wsc: Wsc | undefined; notification: Notification }
  | { type: 'ClientRequest'; wsc: Wsc | undefined; messageId: string; status: number; body: unknown }
  | { type: 'Heartbeat'; wsc: Wsc | undefined }
  | { type: 'Error'; wsc: Wsc | undefined; messageId: string | undefined; error: SubscriptionError }
  | { type: 'Unknown'; wsc: Wsc | undefined };

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

export function parseWsToken(data: unknown): WsToken {
  const d = obj(data);
  const uri = str(d.uri);
  const token = str(d.ws_access_token);
  if (!uri || !token || !/^wss?:\/\//.test(uri)) {
    throw new SubscriptionError('The wstoken reply has no `uri` (ws:// or wss://) or `ws_access_token`');
  }
  // The token travels in the URL's query: never in clear text, except to a loopback test gateway.
  if (uri.startsWith('ws://') && !isLoopbackHost(new URL(uri).hostname)) {
    throw new SubscriptionError(
      'The wstoken reply names a plain ws:// gateway that is not loopback; refused (wss:// only)',
    );
  }
  return { uri, token, expiresInSec: lifetimeSec(d.expires_in) ?? 60 };
}

/** The URL to connect to, and the same with its secrets redacted (for messages and logs). */
export function connectUrl(wsToken: WsToken, wsc: string | undefined): { url: string; safe: string } {
  const u = new URL(wsToken.uri);
  u.searchParams.set('access_token', wsToken.token);
  if (wsc !== undefined) u.searchParams.set('wsc', wsc);
  const url = u.toString();
  // core's redactUrl knows both secrets of this URL: access_token and the wsc recovery token.
  const safe = redactUrl(url);
  return { url, safe };
}

function parseWsc(meta: Record<string, unknown>): Wsc | undefined {
  const w = obj(meta.wsc);
  const token = str(w.token);
  return token === undefined ? undefined : { token, sequence: num(w.sequence, 0) };
}

/** The gateway's error as ours; its free text may echo our tokens: scrubbed of them by value. */
function errorOf(status: number, body: unknown, what: string, secrets: KnownSecrets): SubscriptionError {
  const b = obj(body);
  const code = str(b.errorCode);
  const errorCode = code === undefined ? undefined : secrets.scrub(code);
  const message = secrets.scrub(str(b.message) ?? 'no message');
  return new SubscriptionError(
    `${what}: ${status} ${errorCode ?? ''} ${message}`.replace(/\s+/g, ' ').trim(),
    {
      status,
      ...(errorCode === undefined ? {} : { errorCode }),
    },
  );
}

/** Parses a text frame; a malformed one is `Unknown` (never throws). */
export function parseFrame(text: string, secrets: KnownSecrets): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { type: 'Unknown', wsc: undefined };
  }
  if (!Array.isArray(parsed)) return { type: 'Unknown', wsc: undefined };
  const meta = obj(parsed[0]);
  const body: unknown = parsed[1];
  const wsc = parseWsc(meta);
  const status = num(meta.status, 200);
  switch (meta.type) {
    case 'ConnectionDetails': {
      const b = obj(body);
      const state =
        b.recoveryState === 'Successful' || b.recoveryState === 'Failed' ? b.recoveryState : undefined;
      return {
        type: 'ConnectionDetails',
        wsc,
        details: {
          recoveryState: state,
          recoveryErrorCode: str(b.recoveryErrorCode),
          recoveryTimeout: lifetimeSec(b.recoveryTimeout) ?? 180,
          idleTimeout: lifetimeSec(b.idleTimeout) ?? 60,
          absoluteTimeout: lifetimeSec(b.absoluteTimeout) ?? 86_400,
        },
      };
    }
    case 'ServerNotification': {
      const b = obj(body);
      const uuid = str(b.uuid);
      const event = str(b.event);
      if (!uuid || !event) return { type: 'Unknown', wsc };
      return {
        type: 'ServerNotification',
        wsc,
        notification: {
          uuid,
          event,
          timestamp: str(b.timestamp) ?? '',
          subscriptionId: str(b.subscriptionId) ?? '',
          ownerId: str(b.ownerId),
          body: b.body,
        },
      };
    }
    case 'ClientRequest':
      return { type: 'ClientRequest', wsc, messageId: str(meta.messageId) ?? '', status, body };
    case 'Heartbeat':
      return { type: 'Heartbeat', wsc };
    case 'Error':
      return {
        type: 'Error',
        wsc,
        messageId: str(meta.messageId),
        error: errorOf(status, body, 'The WebSocket gateway sent an error', secrets),
      };
    default:
      return { type: 'Unknown', wsc };
  }
}

export function heartbeatFrame(messageId: string): string {
  return JSON.stringify([{ type: 'Heartbeat', messageId }]);
}

export function requestFrame(messageId: string, method: string, path: string, body: unknown): string {
  const meta = { type: 'ClientRequest', messageId, method, path };
  return JSON.stringify(body === undefined ? [meta] : [meta, body]);
}

/** The body of a subscription create or update. */
export function subscriptionBody(eventFilters: string[]): unknown {
  return { eventFilters, deliveryMode: { transportType: 'WebSocket' } };
}

export function parseSubscriptionInfo(
  status: number,
  body: unknown,
  what: string,
  secrets: KnownSecrets,
): SubscriptionInfo {
  if (status < 200 || status >= 300) throw errorOf(status, body, what, secrets);
  const b = obj(body);
  const id = str(b.id);
  if (!id) throw new SubscriptionError(`${what}: the reply has no subscription id`);
  const filters = Array.isArray(b.eventFilters)
    ? b.eventFilters.filter((f): f is string => typeof f === 'string')
    : [];
  return {
    id,
    eventFilters: filters,
    expiresInSec: lifetimeSec(b.expiresIn),
  };
}

/** A failed ClientRequest reply as an error. */
export function requestError(
  status: number,
  body: unknown,
  what: string,
  secrets: KnownSecrets,
): SubscriptionError {
  return errorOf(status, body, what, secrets);
}
