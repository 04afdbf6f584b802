/**
 * RingCentral's two kinds of list: page-numbered with absolute `navigation` URIs (the call log, the
 * extensions, the message store use it), and Team Messaging chats, generated on the fly from an
 * index (no memory per record) and paged by opaque tokens. Sizes are options of the server and can
 * be changed by a test.
 */
import type { MockContext } from './context.js';
import { restError } from './errors.js';
import { json, type MockRequest, type Reply } from './http.js';

const invalid = (name: string) =>
  restError(400, 'CMN-101', `Parameter [${name}] value is invalid`, { parameterName: name });

/** An integer query parameter in `[min, max]`, its default when absent, or `undefined` when invalid. */
function intParam(
  req: MockRequest,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

const HOUR = 3_600_000;

/**
 * A page-numbered list of `total` records, `recordAt(i)` the i-th: `page` (from 1) and `perPage`
 * (1..1000, default 100) from the query, absolute `navigation` URIs keeping the other parameters.
 */
export function paged(
  ctx: MockContext,
  req: MockRequest,
  total: number,
  recordAt: (i: number) => unknown,
): Reply {
  // `perPage=max` is RingCentral's "as many as a page holds" (the call log describes it).
  const perPage = req.query.get('perPage') === 'max' ? 1000 : intParam(req, 'perPage', 100, 1, 1000);
  if (perPage === undefined) return invalid('perPage');
  const page = intParam(req, 'page', 1, 1, 1_000_000);
  if (page === undefined) return invalid('page');
  const totalPages = Math.ceil(total / perPage);
  const start = (page - 1) * perPage;
  const end = Math.min(total, start + perPage);
  const records = [];
  for (let i = start; i < end; i++) records.push(recordAt(i));
  const uri = (n: number) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(n));
    query.set('perPage', String(perPage));
    return { uri: `${ctx.baseUrl()}${req.path}?${query}` };
  };
  const last = Math.max(1, totalPages);
  return json(200, {
    uri: uri(page).uri,
    records,
    paging: {
      page,
      perPage,
      totalPages,
      totalElements: total,
      ...(records.length > 0 ? { pageStart: start, pageEnd: end - 1 } : {}),
    },
    navigation: {
      firstPage: uri(1),
      ...(page < totalPages ? { nextPage: uri(page + 1) } : {}),
      ...(page > 1 ? { previousPage: uri(Math.min(page - 1, last)) } : {}),
      lastPage: uri(last),
    },
  });
}

// Page tokens are opaque to clients; here they encode the offset, and a forged one is refused.
const encodeToken = (offset: number) => Buffer.from(`chats:${offset}`).toString('base64url');
function decodeToken(token: string): number | undefined {
  const match = /^chats:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** `GET /team-messaging/v1/chats`: `recordCount` (1..250, default 30) and `pageToken`. */
export function chats(ctx: MockContext, req: MockRequest, total: number): Reply {
  const count = intParam(req, 'recordCount', 30, 1, 250);
  if (count === undefined) return invalid('recordCount');
  const token = req.query.get('pageToken');
  const offset = token === null ? 0 : decodeToken(token);
  if (offset === undefined || offset > total) return invalid('pageToken');
  const records = [];
  for (let i = offset; i < Math.min(total, offset + count); i++) {
    const time = new Date(ctx.now() - (i + 1) * HOUR).toISOString();
    records.push({
      id: String(700_000_000 + i),
      type: 'Team',
      name: `Team ${i + 1}`,
      description: `Mock team ${i + 1}`,
      status: 'Active',
      public: i % 3 === 0,
      creationTime: time,
      lastModifiedTime: time,
    });
  }
  const next = offset + count < total ? encodeToken(offset + count) : undefined;
  const prev = offset > 0 ? encodeToken(Math.max(0, offset - count)) : undefined;
  return json(200, {
    records,
    navigation: { ...(prev ? { prevPageToken: prev } : {}), ...(next ? { nextPageToken: next } : {}) },
  });
}
