/**
 * Checks a request against its operation's description, as RingCentral does before anything
 * else: path parameters, query parameters (required, types, enums, formats) and the JSON body.
 * The first fault answers 400 with RingCentral's body naming the parameter: `CMN-100` "Mandatory
 * parameter [x] not specified", `CMN-101` "Parameter [x] value is invalid", `CMN-103` for a body
 * that is not JSON (the codes of RingCentral's API reference, `ResponseExampleCMN-10x`).
 */
import type { OperationInfo } from '@rc/api/operations';
import type { ErrorObject } from 'ajv';
import { restError } from '../errors.js';
import type { MockRequest, Reply } from '../http.js';
import {
  type OpenApiMedia,
  type OpenApiParameter,
  operationParameters,
  operationSpec,
  resolveRef,
} from './document.js';
import { toJsonSchema } from './json-schema.js';
import { validator } from './validators.js';

export const missingParameter = (name: string) =>
  restError(400, 'CMN-100', `Mandatory parameter [${name}] not specified`, { parameterName: name });
export const invalidParameter = (name: string) =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });

/** The parameters of one location as one object schema, so one compiled function checks them all. */
function groupSchema(params: OpenApiParameter[]): unknown {
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
    required: params.filter((p) => p.required || p.in === 'path').map((p) => p.name),
  };
}

const isArray = (p: OpenApiParameter) => resolveRef<{ type?: string }>(p.schema ?? {}).type === 'array';

/** `/to/0/phoneNumber` → `to[0].phoneNumber`, RingCentral's way of naming a body field. */
function fieldName(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  return parts.reduce(
    (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part),
    '',
  );
}

function fault(error: ErrorObject | undefined, fallback: string): Reply {
  if (!error) return invalidParameter(fallback);
  if (error.keyword === 'required') {
    return missingParameter(fieldName(error.instancePath, String(error.params.missingProperty)) || fallback);
  }
  const extra =
    error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
  return invalidParameter(fieldName(error.instancePath, extra) || fallback);
}

/** 400 with RingCentral's body when the request does not match the description; else `undefined`. */
export function checkRequest(
  op: OperationInfo,
  pathParams: Readonly<Record<string, string>>,
  req: MockRequest,
): Reply | undefined {
  const params = operationParameters(op);
  const path = params.filter((p) => p.in === 'path');
  const pathValues: Record<string, unknown> = {};
  for (const p of path) {
    const value = pathParams[p.name];
    if (value === undefined || value === '') continue;
    // `~` is "mine" (the caller's account or extension), valid wherever an id is.
    if (value === '~') continue;
    pathValues[p.name] = isArray(p) ? value.split(',') : value;
  }
  const checkPath = validator(`${op.id}:path`, { ...(groupSchema(path) as object), required: [] }, 'request');
  if (!checkPath(pathValues)) return fault(checkPath.errors?.[0], path[0]?.name ?? 'id');

  const query = params.filter((p) => p.in === 'query');
  const queryValues: Record<string, unknown> = {};
  for (const p of query) {
    const all = req.query.getAll(p.name);
    if (all.length === 0) continue;
    queryValues[p.name] = isArray(p)
      ? all.flatMap((v) => (p.explode === false ? v.split(',') : [v]))
      : all[0];
  }
  const checkQuery = validator(`${op.id}:query`, groupSchema(query), 'request');
  if (!checkQuery(queryValues)) return fault(checkQuery.errors?.[0], 'query');

  return checkBody(op, req);
}

function checkBody(op: OperationInfo, req: MockRequest): Reply | undefined {
  const spec = operationSpec(op).requestBody;
  if (!spec) return undefined;
  const body = resolveRef<{ required?: boolean; content?: Record<string, OpenApiMedia> }>(spec);
  if (req.raw.byteLength === 0) return body.required ? missingParameter('body') : undefined;
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const media = body.content?.[type] ?? (/json/.test(type) ? body.content?.['application/json'] : undefined);
  // Uploads (multipart, forms) and other media are accepted as sent: only JSON is checked here.
  if (!/json/.test(type) || !media?.schema) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch {
    return restError(400, 'CMN-103', "JSON can't be parsed");
  }
  const check = validator(`${op.id}:body:${type}`, toJsonSchema(media.schema), 'reply');
  return check(value) ? undefined : fault(check.errors?.[0], 'body');
}
