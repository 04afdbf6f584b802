/**
 * The WebSocket gateway's wire format, in one place: every frame is a JSON array `[meta, body]`;
 * the server's metas carry a fresh `messageId`, an `RCRequestId` and the session's `wsc` recovery
 * token. Kept apart from the gateway so the connection logic reads without the framing.
 */
import { randomUUID } from 'node:crypto';
import { restErrorBody } from '../errors.js';
import type { WsSession } from './ws-sessions.js';

export const frame = (meta: Record<string, unknown>, body?: unknown) => JSON.stringify([meta, body ?? null]);

/** A server meta of `type` for `session`, with its current `wsc` token. */
export function meta(
  type: string,
  session: WsSession,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type,
    messageId: randomUUID(),
    status: 200,
    headers: { RCRequestId: randomUUID() },
    ...extra,
    wsc: { token: `${session.secret}.${session.seq}`, sequence: session.seq },
  };
}

/** An `Error` frame (no session: sent before one exists, or for a frame that could not be read). */
export function errorFrame(messageId: string, status: number, errorCode: string, message: string): string {
  return frame({ type: 'Error', messageId, status }, restErrorBody(errorCode, message));
}

/** A client frame read leniently: its meta (an empty object when unreadable), its body and messageId. */
export function readClientFrame(data: string): {
  meta: Record<string, unknown>;
  body: unknown;
  messageId: string;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    parsed = undefined;
  }
  const [m, body] = Array.isArray(parsed) ? (parsed as [unknown, unknown]) : [undefined, undefined];
  const meta = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
  const messageId = typeof meta.messageId === 'string' ? meta.messageId : randomUUID();
  return { meta, body, messageId };
}
