/** Canned answers for fault-injection tests: the next matching request(s) get them instead of the real handling. */
import { ConfigError } from '@rc/core';
import { defaultErrorBody } from './errors.js';
import { json, type MockRequest, type Reply } from './http.js';
import type { FailRule } from './types/overrides.js';

interface PendingRule {
  method: string | undefined;
  path: string;
  remaining: number;
  reply: (request: MockRequest) => Reply;
}

const normalisePath = (path: string) => {
  const bare = path.split('?')[0] ?? '';
  return bare.startsWith('/') ? bare : `/${bare}`;
};

/** What an echoing server quotes: the request's form body and Authorization header, verbatim. */
function echoBody(status: number, request: MockRequest) {
  const quoted = `request ${request.body} with ${request.headers.authorization ?? 'no Authorization'}`;
  return {
    error: 'invalid_request',
    error_description: quoted,
    errorCode: 'CMN-400',
    message: quoted,
    errors: [{ errorCode: status === 401 ? 'OAU-213' : 'CMN-400', message: quoted }],
  };
}

function toReply(rule: FailRule): (request: MockRequest) => Reply {
  const reply = staticReply(rule);
  const timing = {
    ...(rule.hang ? { hang: true } : {}),
    ...(rule.delayMs ? { delayMs: rule.delayMs } : {}),
  };
  if (rule.echo)
    return (request) => ({
      ...json(rule.status, echoBody(rule.status, request), rule.headers ?? {}),
      ...timing,
    });
  return () => ({ ...reply, ...timing });
}

function staticReply(rule: FailRule): Reply {
  if (rule.destroy) return { status: 0, headers: {}, body: '', destroy: true };
  const extra = rule.headers ?? {};
  if (rule.body === undefined)
    return json(rule.status, rule.status < 400 ? {} : defaultErrorBody(rule.status), extra);
  if (typeof rule.body === 'object') return json(rule.status, rule.body, extra);
  // A string is sent as given; JSON-looking text is labelled JSON so clients parse it as they would a real reply.
  let type = 'text/plain; charset=utf-8';
  try {
    JSON.parse(rule.body);
    type = 'application/json';
  } catch {}
  return { status: rule.status, headers: { 'Content-Type': type, ...extra }, body: rule.body };
}

export class FailRules {
  readonly #rules: PendingRule[] = [];

  /** Queues a rule, after checking it (a bad rule throws a ConfigError naming the field). */
  add(rule: FailRule): void {
    if (typeof rule !== 'object' || rule === null)
      throw new ConfigError('failNext: rule must be an object', 'rule');
    if (typeof rule.path !== 'string' || rule.path === '')
      throw new ConfigError('failNext: "path" must be a non-empty string', 'path');
    if (
      !rule.destroy &&
      !rule.hang &&
      (!Number.isInteger(rule.status) || rule.status < 200 || rule.status > 599)
    ) {
      throw new ConfigError('failNext: "status" must be an HTTP status in 200..599', 'status');
    }
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new ConfigError('failNext: "times" must be a positive integer', 'times');
    if (rule.method !== undefined && typeof rule.method !== 'string')
      throw new ConfigError('failNext: "method" must be a string', 'method');
    if (rule.delayMs !== undefined && !(Number.isFinite(rule.delayMs) && rule.delayMs >= 0))
      throw new ConfigError('failNext: "delayMs" must be a number of ms >= 0', 'delayMs');
    if (rule.echo && (rule.body !== undefined || rule.status < 400))
      throw new ConfigError('failNext: "echo" needs an error status and no "body"', 'echo');
    this.#rules.push({
      method: rule.method?.toUpperCase(),
      path: normalisePath(rule.path),
      remaining: times,
      reply: toReply(rule),
    });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The canned reply for this request, if a rule matches; the first matching rule queued wins. */
  take(request: MockRequest): Reply | undefined {
    const index = this.#rules.findIndex(
      (r) => r.path === request.path && (r.method === undefined || r.method === request.method),
    );
    const rule = this.#rules[index];
    if (!rule) return undefined;
    if (--rule.remaining === 0) this.#rules.splice(index, 1);
    // A test's canned fault, often malformed on purpose: the response oracle does not judge it.
    return { ...rule.reply(request), fault: true };
  }
}
