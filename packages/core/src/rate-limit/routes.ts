import type { Group } from './group.js';

// Which rate-limit group a route is in, as the limiter learns it from `X-Rate-Limit-Group`. A
// route is a method and a path with its ids replaced by one placeholder: RingCentral's groups are
// per operation, not per resource, and paths carry ids (`/extension/12345/presence`, message ids,
// telephony session ids), so keyed as they are the table grew with every id ever requested, and a
// group learnt for one extension did not apply to the next. The table is bounded as well, for ids
// no rule recognises.

/** Most routes learnt from replies that the table keeps; the least recently answered goes first. */
export const MAX_LEARNT_ROUTES = 1000;

const ID = '{id}';
const SLASH = 47;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;

/**
 * Whether `url[from, to)`, one path segment, names a resource rather than an operation: all digits
 * (account, extension, message ids), a list of ids (`101,102` in a batch), or 8 or more characters
 * with a digit in them (UUIDs, `s-…` session ids, phone numbers, opaque record ids). Route words
 * (`a2p-sms`), versions (`v1.0`) and `~` have fewer, or no digits. A scan of char codes: this runs
 * for every request, where regular expressions and a replace callback cost several times more.
 */
function isId(url: string, from: number, to: number): boolean {
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = url.charCodeAt(i);
    if (c === COMMA) return true;
    if (c >= ZERO && c <= NINE) digits++;
  }
  const length = to - from;
  return length > 0 && (digits === length || (length >= 8 && digits > 0));
}

/** "GET /restapi/v1.0/account/~/extension/{id}/presence": method and path without query, ids replaced. */
export function routeOf(method: string, url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return `${method} /`;
  const q = url.indexOf('?', start);
  const h = url.indexOf('#', start);
  const cut = q === -1 ? h : h === -1 ? q : Math.min(q, h);
  const end = cut === -1 ? url.length : cut;
  let route = `${method} `;
  let from = start;
  while (from < end) {
    // `from` is at a '/': copy it, then the segment up to the next one (or the placeholder).
    let to = from + 1;
    while (to < end && url.charCodeAt(to) !== SLASH) to++;
    route += isId(url, from + 1, to) ? `/${ID}` : url.slice(from, to);
    from = to;
  }
  return route;
}

/**
 * Route → group. The learnt routes (from replies) are kept in the order they were last answered, at
 * most `max` of them; a route not learnt has the group `describe` gives it (RingCentral's API
 * description), remembered in a cache as bounded as the learnt routes.
 */
export class RouteTable {
  readonly #learnt = new Map<string, Group>();
  readonly #described = new Map<string, Group | undefined>();

  constructor(
    /** The described group of a route; `null`: not known yet (the description is loading), not cached. */
    readonly describe: (route: string) => Group | null | undefined,
    readonly max = MAX_LEARNT_ROUTES,
  ) {}

  get(route: string): Group | undefined {
    const learnt = this.#learnt.get(route);
    if (learnt) return learnt;
    if (this.#described.has(route)) return this.#described.get(route);
    if (this.#described.size >= this.max) this.#described.clear();
    const group = this.describe(route);
    if (group === null) return undefined;
    this.#described.set(route, group);
    return group;
  }

  /** The group a reply named (or a 429's own): the route becomes the most recently answered. */
  set(route: string, group: Group): void {
    this.#learnt.delete(route);
    this.#learnt.set(route, group);
    if (this.#learnt.size > this.max) {
      const oldest = this.#learnt.keys().next().value as string;
      this.#learnt.delete(oldest);
    }
  }

  /** How many routes were learnt from replies. */
  get learnt(): number {
    return this.#learnt.size;
  }
}
