/**
 * Scripted scenarios: `mock.override(method, path, …)` replaces one operation's behaviour with a
 * reply, a status, a delay or a handler, as msw's handlers do, until `mock.reset()`. The path is
 * matched segment by segment: a `{param}` segment matches any value, any other segment itself.
 * Overrides answer before authentication and rate limiting, like `failNext`; a handler that
 * returns `undefined` lets the request through to the mock's own behaviour.
 */
import { findOperation } from '@rc/api/operations';
import { json, type MockRequest, type Reply } from './http.js';
import { successResponse } from './spec/document.js';
import type { MockOverride, OverrideReply, OverrideRequest } from './types/overrides.js';

interface Entry {
  method: string;
  segments: string[];
  override: MockOverride<string, string>;
  remaining: number;
}

const segmentsOf = (path: string) => path.replace(/\/+$/, '').split('/');
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export class Overrides {
  #entries: Entry[] = [];

  add(method: string, path: string, override: MockOverride<string, string>): void {
    if (typeof method !== 'string' || typeof path !== 'string' || !path.startsWith('/'))
      throw new Error('override: method and a path starting with / are required');
    if (typeof override !== 'object' || override === null)
      throw new Error(
        'override: the third argument must be { status?, body?, headers?, delay?, handler?, times? }',
      );
    const times = override.times ?? Number.POSITIVE_INFINITY;
    if (!(times >= 1)) throw new Error('override: times must be >= 1');
    // The newest override of a route wins, as msw's `use()` prepends.
    this.#entries.unshift({
      method: method.toUpperCase(),
      segments: segmentsOf(path),
      override,
      remaining: times,
    });
  }

  reset(): void {
    this.#entries = [];
  }

  /** The scripted reply for `req`, or `undefined` when no override takes it. */
  async take(req: MockRequest): Promise<Reply | undefined> {
    if (this.#entries.length === 0) return undefined;
    const segments = segmentsOf(req.path).map(decode);
    for (const entry of this.#entries) {
      if (entry.method !== req.method || entry.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = entry.segments.every((s, i) => {
        const name = /^\{(.+)\}$/.exec(s)?.[1];
        if (name !== undefined) params[name] = segments[i] ?? '';
        return name !== undefined ? segments[i] !== '' : s === segments[i];
      });
      if (!matches) continue;
      const { handler, ...fixed } = entry.override;
      let reply: OverrideReply<unknown> | undefined = fixed;
      if (handler) {
        reply = await handler(overrideRequest(req, params));
        if (reply === undefined) return undefined;
      }
      entry.remaining--;
      if (entry.remaining <= 0) this.#entries = this.#entries.filter((e) => e !== entry);
      return toReply(req, { ...fixed, ...reply });
    }
    return undefined;
  }
}

function overrideRequest(req: MockRequest, params: Record<string, string>): OverrideRequest {
  return {
    method: req.method,
    path: req.path,
    params,
    query: new URLSearchParams(req.query),
    headers: { ...req.headers },
    text: req.body,
    json: () => JSON.parse(req.body) as unknown,
  };
}

function toReply(req: MockRequest, reply: OverrideReply<unknown>): Reply {
  // Without a status, the operation's described success status (201, 204 …), else 200.
  const operation = findOperation(req.method, req.path)?.operation;
  const status = reply.status ?? (operation ? successResponse(operation).status : 200);
  const headers = reply.headers ?? {};
  const delay = reply.delay ?? 0;
  if (!Number.isFinite(delay) || delay < 0) throw new Error('override: delay must be a number of ms >= 0');
  const base: Reply =
    reply.body === undefined
      ? { status, headers, body: '' }
      : typeof reply.body === 'string'
        ? { status, headers: { 'Content-Type': 'text/plain', ...headers }, body: reply.body }
        : json(status, reply.body, headers);
  return delay > 0 ? { ...base, delayMs: delay } : base;
}
