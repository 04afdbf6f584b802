/**
 * The response oracle: checks a JSON reply the mock sends against the schema the description gives
 * for that operation and status. The mock's own test command turns it on for the whole suite
 * (`RC_MOCK_SCHEMA_VIOLATIONS` names a file each violation is appended to; the suite's global
 * teardown fails the run when the file is not empty), so no route — hand-written, synthesised or
 * scripted — can drift from RingCentral's description unnoticed.
 */
import { appendFileSync } from 'node:fs';
import { findOperation } from '@rc/api/operations';
import type { Reply } from '../http.js';
import { type OpenApiResponse, operationSpec, resolveRef } from './document.js';
import { toJsonSchema } from './json-schema.js';
import { describeErrors, validator } from './validators.js';

/** The environment variable naming the file violations are appended to. */
export const VIOLATIONS_ENV = 'RC_MOCK_SCHEMA_VIOLATIONS';

/**
 * Why a reply does not match the description, or `undefined` when it does or when the description
 * says nothing about it (an undescribed path or status, a body that is not JSON).
 */
export function replyViolation(method: string, path: string, reply: Reply): string | undefined {
  const type = Object.entries(reply.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!/json/i.test(type) || typeof reply.body !== 'string' || reply.body === '') return undefined;
  const match = findOperation(method, path);
  if (!match) return undefined;
  const op = match.operation;
  const responses = operationSpec(op).responses;
  const described = responses[String(reply.status)] ?? responses.default;
  if (!described) return undefined;
  const content = resolveRef<OpenApiResponse>(described).content ?? {};
  const media = content[type.split(';')[0]?.trim() ?? ''] ?? content['application/json'];
  if (!media?.schema) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return `${method} ${path} ${reply.status}: the body is not JSON`;
  }
  const check = validator(`${op.id}:${reply.status}`, toJsonSchema(media.schema), 'reply');
  if (check(body)) return undefined;
  return `${op.id} ${method} ${path} ${reply.status}: ${describeErrors(check.errors)}`;
}

/** Records a violation in the file `RC_MOCK_SCHEMA_VIOLATIONS` names, when it names one. */
export function recordViolation(method: string, path: string, reply: Reply): void {
  const file = process.env[VIOLATIONS_ENV];
  if (!file) return;
  let violation: string | undefined;
  try {
    violation = replyViolation(method, path, reply);
  } catch (error) {
    violation = `${method} ${path} ${reply.status}: the oracle failed: ${String(error)}`;
  }
  if (violation) appendFileSync(file, `${violation}\n`);
}
