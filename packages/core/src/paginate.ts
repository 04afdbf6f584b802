// `rc.paginate()`: every record of a RingCentral list, page after page, fetched only as the loop
// asks for more. Each page is one ordinary `get` of the session, so auth (a 401 mid-walk is
// refreshed and re-sent), rate limits and concurrency apply to it like to any request.
import type { Input, Options, ResponsePromise } from 'ky';
import { ApiError } from './errors/api-error.js';
import { redactUrl } from './redact.js';
import { toSearchParams } from './util/search-params.js';

/** `paging` of a page-numbered list. */
export interface Paging {
  /** The page number, from 1. */
  page?: number;
  /** Records per page. */
  perPage?: number;
  /** Pages in the whole list, when RingCentral counts them. */
  totalPages?: number;
  /** Records in the whole list, when RingCentral counts them. */
  totalElements?: number;
  /** Index of the first record of this page, from 0. */
  pageStart?: number;
  /** Index of the last record of this page. */
  pageEnd?: number;
}

/** `navigation` of a list: absolute page URIs (page-numbered lists) or page tokens (Team Messaging). */
export interface Navigation {
  /** The first page. */
  firstPage?: {
    /** The absolute URI of that page. */
    uri: string;
  };
  /** The next page: absent on the last one. */
  nextPage?: {
    /** The absolute URI of that page. */
    uri: string;
  };
  /** The previous page. */
  previousPage?: {
    /** The absolute URI of that page. */
    uri: string;
  };
  /** The last page. */
  lastPage?: {
    /** The absolute URI of that page. */
    uri: string;
  };
  /** Token of the previous page (token-paged lists). */
  prevPageToken?: string;
  /** Token of the next page (token-paged lists): absent on the last one. */
  nextPageToken?: string;
}

/** One page of a list as RingCentral sends it. */
export interface ListPage<T> {
  /** This page's records. */
  records: T[];
  /** Where this page is in the list. */
  paging?: Paging;
  /** How to reach the other pages. */
  navigation?: Navigation;
}

/** What `onPage` learns of each page, before its records are yielded. */
export interface PageInfo<T = unknown> {
  /** 1 for the first page fetched by this walk. */
  index: number;
  /** The page as sent: `records`, `paging` (e.g. `paging.totalElements` for a progress bar), `navigation`. */
  page: ListPage<T>;
}

/** What paginate adds to the request options. */
export interface PageHooks<T = unknown> {
  /**
   * Called with each page as it arrives, before its records are yielded.
   * @example onPage: ({ page }) => bar.setTotal(page.paging?.totalElements)
   */
  onPage?: ((info: PageInfo<T>) => void) | undefined;
}

/** Request options for every page (`searchParams`, `signal`, `headers`, ...), plus `onPage`. */
export interface PaginateOptions<T = unknown> extends Options, PageHooks<T> {}

/** The session verb paginate needs (the session passes itself). */
export interface PageSource {
  get(path: Input, options?: Options): ResponsePromise;
}

type SearchParams = Options['searchParams'];

/** `searchParams` of any shape ky accepts (arrays repeated), plus `pageToken`. */
function withPageToken(searchParams: SearchParams, pageToken: string): URLSearchParams {
  const params = toSearchParams(searchParams);
  params.set('pageToken', pageToken);
  return params;
}

function malformed(url: string, what: string): ApiError {
  const safe = redactUrl(url);
  return new ApiError({ status: 200, method: 'GET', url: safe, message: `GET ${safe}: ${what}` });
}

/**
 * Walks a list. Page-numbered lists are followed by `navigation.nextPage.uri` (an absolute URI on
 * the client's server; one on another host is refused, so the token never leaves it); token-paged
 * lists by re-requesting the path with `pageToken=navigation.nextPageToken`. The walk ends on a
 * page without a next link, or an empty page; breaking out of the loop fetches nothing more.
 *
 * @see https://developers.ringcentral.com/guide/basics/paging
 */
export async function* paginate<T>(
  source: PageSource,
  path: string,
  options: PaginateOptions<T> = {},
): AsyncGenerator<T, void, undefined> {
  const { onPage, ...request } = options;
  let input = path;
  let pageOptions: Options = request;
  const visited = new Set<string>();
  for (let index = 1; ; index++) {
    request.signal?.throwIfAborted();
    const page = await source.get(input, pageOptions).json<ListPage<T>>();
    if (typeof page !== 'object' || page === null || !Array.isArray(page.records))
      throw malformed(input, 'the reply is not a list (no `records` array)');
    onPage?.({ index, page });
    yield* page.records;
    if (page.records.length === 0) return;
    const nextUri = page.navigation?.nextPage?.uri;
    const nextToken = page.navigation?.nextPageToken;
    if (typeof nextUri === 'string' && nextUri !== '') {
      // The URI carries the whole query (page, perPage, filters): ky must not replace it.
      const { searchParams: _, ...rest } = request;
      input = nextUri;
      pageOptions = rest;
    } else if (typeof nextToken === 'string' && nextToken !== '') {
      input = path;
      pageOptions = { ...request, searchParams: withPageToken(request.searchParams, nextToken) };
    } else {
      return;
    }
    const key = `${input} ${nextToken ?? ''}`;
    if (visited.has(key)) throw malformed(input, 'the list points back to a page already read');
    visited.add(key);
  }
}
