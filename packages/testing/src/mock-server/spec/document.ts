/**
 * RingCentral's API description (`@rc/api/openapi.json`, the prose-free copy the `@rc/api` types
 * are generated from), read once, on the first request that needs it: a server that only does
 * OAuth never pays for parsing 1.2 MB of JSON.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { OperationInfo } from '@rc/api/operations';

/** An OpenAPI 3.0 schema object (or a `$ref` to one), loosely typed: the converter walks it. */
export type OpenApiSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: OpenApiSchema;
  explode?: boolean;
}

export interface OpenApiMedia {
  schema?: OpenApiSchema;
}

export interface OpenApiResponse {
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, OpenApiMedia> } | { $ref: string };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation> & { parameters?: OpenApiParameter[] }>;
  components: {
    schemas: Record<string, OpenApiSchema>;
    parameters?: Record<string, OpenApiParameter>;
    responses?: Record<string, OpenApiResponse>;
    requestBodies?: Record<string, unknown>;
  };
}

let doc: OpenApiDocument | undefined;

/** The description, parsed on first use (about 15 ms) and kept for the life of the process. */
export function openApiDocument(): OpenApiDocument {
  if (doc) return doc;
  const file = createRequire(import.meta.url).resolve('@rc/api/openapi.json');
  doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  return doc;
}

/** Follows a local `$ref` (`#/components/...`) until a value that is not one. */
export function resolveRef<T>(value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; hops < 16; hops++) {
    const ref = (current as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return current as T;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        openApiDocument(),
      );
  }
  throw new Error('resolveRef: $ref chain too long');
}

/** The description's entry for an operation of the table. */
export function operationSpec(op: OperationInfo): OpenApiOperation {
  const entry = openApiDocument().paths[op.path]?.[op.method.toLowerCase()];
  if (!entry) throw new Error(`the description has no ${op.method} ${op.path}`);
  return entry;
}

/** The operation's parameters (path-level ones included), `$ref`s resolved. */
export function operationParameters(op: OperationInfo): OpenApiParameter[] {
  const item = openApiDocument().paths[op.path];
  const own = operationSpec(op).parameters ?? [];
  return [...(item?.parameters ?? []), ...own].map((p) => resolveRef<OpenApiParameter>(p));
}

/** The success status the description gives (the first 2xx), and its JSON schema when it has one. */
export function successResponse(op: OperationInfo): {
  status: number;
  schema?: OpenApiSchema;
  media?: string;
} {
  const responses = operationSpec(op).responses;
  const code = Object.keys(responses).find((c) => /^2\d\d$/.test(c)) ?? '200';
  const response = resolveRef<OpenApiResponse>(responses[code] ?? {});
  const media = Object.keys(response.content ?? {});
  const jsonMedia = media.find((m) => m === 'application/json') ?? media.find((m) => /json/.test(m));
  const schema = jsonMedia ? response.content?.[jsonMedia]?.schema : undefined;
  return {
    status: Number(code),
    ...(schema ? { schema } : {}),
    ...(jsonMedia ? { media: jsonMedia } : media[0] ? { media: media[0] } : {}),
  };
}
