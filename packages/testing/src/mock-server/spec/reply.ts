/**
 * The reply of an operation the mock has no behaviour for: its described success status with a
 * body synthesised from its response schema, seeded by the operation id and the path parameters
 * (the same resource reads the same twice). A list (`records` with `paging` / `navigation`) is a
 * generated collection of `LIST_SIZE` records that pages by `page` and `perPage` as RingCentral's
 * lists do; binary media answer a few bytes of the described type.
 */
import type { OperationInfo } from '@rc/api/operations';
import { json, type MockRequest, type Reply } from '../http.js';
import { type OpenApiSchema, successResponse } from './document.js';
import { flatten, Synthesizer } from './synthesize.js';

/** Records in a synthesised list. */
export const LIST_SIZE = 25;

export interface ReplyContext {
  baseUrl: string;
  now: number;
}

const seedOf = (op: OperationInfo, params: Readonly<Record<string, string>>) =>
  `${op.id}:${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`;

/** The described success reply, synthesised. */
export function describedReply(
  op: OperationInfo,
  params: Readonly<Record<string, string>>,
  req: MockRequest,
  ctx: ReplyContext,
): Reply {
  const { status, schema, media } = successResponse(op);
  if (schema) {
    const seed = seedOf(op, params);
    const flat = flatten(schema);
    const body = isPagedList(flat)
      ? pagedList(flat, seed, req, ctx)
      : new Synthesizer(seed, ctx).value(schema);
    return json(status, body, media && media !== 'application/json' ? { 'Content-Type': media } : {});
  }
  if (!media) return { status, headers: {}, body: '' };
  // `audio/*` and the like: a concrete type of the family, as a real server sends.
  const type = media.endsWith('/*') ? `${media.slice(0, -2)}/${CONCRETE[media] ?? 'octet-stream'}` : media;
  return { status, headers: { 'Content-Type': type }, body: new TextEncoder().encode(`mock ${op.id}`) };
}

const CONCRETE: Record<string, string> = { 'audio/*': 'mpeg', 'image/*': 'png', 'video/*': 'mp4' };

const props = (s: OpenApiSchema) => (s.properties ?? {}) as Record<string, OpenApiSchema>;

function isPagedList(s: OpenApiSchema): boolean {
  const p = props(s);
  return p.records !== undefined && flatten(p.records).type === 'array' && p.paging !== undefined;
}

/** `page` (from 1) and `perPage` as the request gives them; the request check has typed them. */
function pagedList(s: OpenApiSchema, seed: string, req: MockRequest, ctx: ReplyContext) {
  const perPage = Math.max(1, Number(req.query.get('perPage') ?? 100) || 100);
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const total = LIST_SIZE;
  const totalPages = Math.ceil(total / perPage);
  const start = (page - 1) * perPage;
  const end = Math.min(total, start + perPage);
  const itemSchema = flatten(props(s).records).items as OpenApiSchema;
  const records: unknown[] = [];
  for (let i = start; i < end; i++)
    records.push(new Synthesizer(`${seed}#${i}`, ctx).value(itemSchema, 'records', 1));

  const body = new Synthesizer(seed, ctx).object(
    { ...s, properties: { ...props(s), records: { type: 'array', maxItems: 0 } } },
    0,
  );
  body.records = records;
  const uri = (n: number) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(n));
    query.set('perPage', String(perPage));
    return `${ctx.baseUrl}${req.path}?${query}`;
  };
  if ('uri' in props(s)) body.uri = uri(page);
  const pagingProps = props(flatten(props(s).paging));
  const paging = { ...(body.paging as Record<string, unknown>) };
  const values: Record<string, number> = { page, perPage, totalPages, totalElements: total };
  if (records.length > 0) Object.assign(values, { pageStart: start, pageEnd: end - 1 });
  for (const [k, v] of Object.entries(values)) if (k in pagingProps) paging[k] = v;
  body.paging = paging;
  if (props(s).navigation) {
    const navProps = props(flatten(props(s).navigation));
    const last = Math.max(1, totalPages);
    const nav: Record<string, unknown> = {};
    const links: Record<string, number | undefined> = {
      firstPage: 1,
      nextPage: page < totalPages ? page + 1 : undefined,
      previousPage: page > 1 ? Math.min(page - 1, last) : undefined,
      lastPage: last,
    };
    for (const [k, n] of Object.entries(links))
      if (n !== undefined && k in navProps) nav[k] = { uri: uri(n) };
    body.navigation = nav;
  }
  return body;
}
