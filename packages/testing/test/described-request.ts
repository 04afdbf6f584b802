// Builds a valid request for any operation of the description: the walk over all 520 operations
// and the invalid-request cases start from it.
import type { OperationInfo } from '@rc/api/operations';
import {
  type OpenApiMedia,
  operationParameters,
  operationSpec,
  resolveRef,
} from '../src/mock-server/spec/document.js';
import { flatten, Synthesizer } from '../src/mock-server/spec/synthesize.js';

export interface BuiltRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: string;
}

const MINE = new Set(['accountId', 'extensionId']);

/**
 * A valid request for `op`. `known` gives path parameters by name (ids of resources a test made,
 * such as a fax's `messageId`); `~` stands for the caller's account and extension; the rest is
 * synthesised from the parameter schemas. A body that may be JSON or an upload is sent as the upload.
 */
export function validRequest(
  op: OperationInfo,
  baseUrl: string,
  known: Record<string, string> = {},
): BuiltRequest {
  const synth = new Synthesizer(`request:${op.id}`, { baseUrl, now: Date.parse('2026-01-01T00:00:00Z') });
  const params = operationParameters(op);
  let path = op.path;
  for (const p of params.filter((x) => x.in === 'path')) {
    const raw = known[p.name] ?? (MINE.has(p.name) ? '~' : synth.value(p.schema, p.name));
    const value = Array.isArray(raw) ? raw.join(',') : String(raw);
    path = path.replace(`{${p.name}}`, encodeURIComponent(value));
  }
  const query = new URLSearchParams();
  for (const p of params.filter((x) => x.in === 'query' && x.required)) {
    const raw = synth.value(p.schema, p.name);
    for (const v of Array.isArray(raw) ? raw : [raw]) query.append(p.name, String(v));
  }
  const headers: Record<string, string> = {};
  const spec = operationSpec(op).requestBody;
  if (!spec) return { path, query, headers };
  const body = resolveRef<{ required?: boolean; content?: Record<string, OpenApiMedia> }>(spec);
  const types = Object.keys(body.content ?? {});
  const json = body.content?.['application/json'];
  if (json?.schema && !types.includes('multipart/form-data')) {
    headers['Content-Type'] = 'application/json';
    return { path, query, headers, body: JSON.stringify(synth.value(json.schema, 'body')) };
  }
  const type = types.includes('multipart/form-data')
    ? 'multipart/form-data'
    : (types[0] ?? 'application/octet-stream');
  if (type === 'multipart/form-data' || type === 'multipart/mixed') {
    const schema = flatten(body.content?.[type]?.schema);
    const boundary = 'walk-boundary';
    const fields = synth.value(schema, 'body');
    headers['Content-Type'] = `${type}; boundary=${boundary}`;
    const bodyText = [
      `--${boundary}`,
      'Content-Type: application/json',
      'Content-Disposition: form-data; name="json"',
      '',
      JSON.stringify(fields),
      `--${boundary}`,
      'Content-Type: text/plain',
      'Content-Disposition: form-data; name="attachment"; filename="a.txt"',
      '',
      'hello',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    return { path, query, headers, body: bodyText };
  }
  headers['Content-Type'] = type.includes('*') ? 'application/octet-stream' : type;
  if (type === 'application/x-www-form-urlencoded') {
    const fields = synth.value(body.content?.[type]?.schema, 'body') as Record<string, unknown>;
    return {
      path,
      query,
      headers,
      body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
    };
  }
  return { path, query, headers, body: 'mock bytes' };
}
