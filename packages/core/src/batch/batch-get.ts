// `rc.batchGet()`: one resource per id for many ids, in as few requests as RingCentral allows.
// Each chunk is one ordinary `get` of the session (auth, rate limits, concurrency apply), and its
// `207 Multi-Status` `multipart/mixed` reply is read here, bounded and strictly.
import type { Input, Options, ResponsePromise } from 'ky';
import { MAX_BATCH_IDS } from '../constants.js';
import type { ApiError } from '../errors/api-error.js';
import { apiErrorFromBody, malformedReply } from '../errors/api-error-body.js';
import { ConfigError } from '../errors/config-error.js';
import { toNetworkError } from '../errors/network-error.js';
import { isRcError } from '../errors/rc-error.js';
import { readBounded } from '../multipart/bounded-read.js';
import {
  DEFAULT_MULTIPART_MAX_BYTES,
  MultipartError,
  multipartBoundary,
  parseMultipart,
} from '../multipart/parse.js';
import { redactUrl, scrub } from '../redact.js';
import { checkOptions } from '../util/check-options.js';
import { REQUEST_OPTIONS } from '../util/request-options.js';

/** One id's outcome: its resource, or the error of its part. */
export type BatchResult<T> =
  | {
      /** The id, as given. */
      readonly id: string;
      /** The part's HTTP status (2xx). */
      readonly status: number;
      /** The part's parsed JSON body. */
      readonly body: T;
      /** Absent: the part succeeded. */
      readonly error?: undefined;
    }
  | {
      /** The id, as given. */
      readonly id: string;
      /** The part's HTTP status (4xx or 5xx). */
      readonly status: number;
      /** The part's error, with RingCentral's `errorCode` and `message`. */
      readonly error: ApiError;
      /** Absent: the part failed. */
      readonly body?: undefined;
    };

/** Options of `rc.batchGet()`: the usual request options, plus the limits below. */
export interface BatchGetOptions extends Options {
  /**
   * Ids per request, at most RingCentral's 30.
   * @default 30
   */
  chunkSize?: number | undefined;
  /**
   * Most bytes read of one batch reply; a larger reply is an `ApiError`. A whole number > 0.
   * @default 16 MiB
   */
  maxResponseBytes?: number | undefined;
}

/** What batchGet needs of the session (the session passes itself). */
export interface BatchSource {
  get(path: Input, options?: Options): ResponsePromise;
  /** The client's `timeout` (ky's 10 s when not given): it bounds the read of a reply's body too. */
  readonly timeout?: number | false;
  /** The access token a failed reply's request carried (its parts may echo it). */
  sentToken?(response: Response): string | undefined;
}

const KNOWN_OPTIONS = [...REQUEST_OPTIONS, 'chunkSize', 'maxResponseBytes'];
/** ky's default `timeout`. */
const KY_TIMEOUT_MS = 10_000;

const PLACEHOLDER = '{ids}';
const decoder = new TextDecoder();

function checkArgs(
  template: unknown,
  ids: unknown,
  chunkSize: unknown,
  maxResponseBytes: unknown,
): asserts ids is (string | number)[] {
  if (typeof template !== 'string' || template.split(PLACEHOLDER).length !== 2)
    throw new ConfigError('batchGet(): `template` must hold `{ids}` exactly once', 'template');
  if (!Array.isArray(ids)) throw new ConfigError('batchGet(): `ids` must be an array', 'ids');
  ids.forEach((id, i) => {
    // One plain path segment: `.` and `..` would make the path another resource (encodeURIComponent
    // keeps dots), a comma another id; control characters and backslashes are no id's.
    const ok =
      (typeof id === 'string' && /^[^,/?#\s\\\p{Cc}]+$/u.test(id) && id !== '.' && id !== '..') ||
      (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0);
    if (!ok) throw new ConfigError(`batchGet(): ids[${i}] is not a valid id`, `ids[${i}]`);
  });
  if (!(Number.isInteger(chunkSize) && (chunkSize as number) >= 1 && (chunkSize as number) <= MAX_BATCH_IDS))
    throw new ConfigError(`batchGet(): \`chunkSize\` must be an integer in 1..${MAX_BATCH_IDS}`, 'chunkSize');
  if (!(Number.isSafeInteger(maxResponseBytes) && (maxResponseBytes as number) > 0))
    throw new ConfigError(
      'batchGet(): `maxResponseBytes` must be a whole number of bytes > 0',
      'maxResponseBytes',
    );
}

/** A batch reply that is not what RingCentral sends: an ApiError, never a crash; it quotes nothing of the body. */
const malformed = (response: Response, url: string, what: string): ApiError =>
  malformedReply(response, 'GET', url, `malformed batch reply: ${what}`);

/**
 * Reading a reply's body failed: the caller's abort stays what it is; anything else is the
 * connection breaking off (a NetworkError), not a malformed reply.
 */
const readFailure = (error: unknown, signal: AbortSignal | null | undefined, url: string): unknown =>
  signal?.aborted ? error : toNetworkError(error, 'GET', url);

/** What makes a reply's body one the batch reader refuses (each becomes a malformed-reply ApiError). */
const replyErrors = (maxBytes: number) => ({
  tooLong: () => new MultipartError(`the body exceeds ${maxBytes} bytes`),
  notBytes: () => new MultipartError('the body is not bytes'),
});

const isApiError = (e: unknown): e is ApiError => isRcError(e) && e.code === 'RC_API';

async function oneId<T>(
  source: BatchSource,
  path: string,
  id: string,
  options: Options,
): Promise<BatchResult<T>> {
  let response: Response;
  const reply = source.get(path, options);
  try {
    response = await reply;
  } catch (error) {
    // As in a batch, a missing resource is that id's result; any other failure is the call's.
    if (isApiError(error) && error.status === 404) return { id, status: 404, error };
    throw error;
  }
  try {
    // ky's `.json()` bounds the body read by the timeout; the session's parseJson makes a body
    // that is not JSON an ApiError.
    return { id, status: response.status, body: await reply.json<T>() };
  } catch (error) {
    // fetch reports a body that breaks off as a TypeError; a custom parser's own error passes.
    if (isRcError(error) || !(error instanceof TypeError)) throw error;
    throw readFailure(error, options.signal, response.url || path);
  }
}

async function manyIds<T>(
  source: BatchSource,
  path: string,
  ids: string[],
  options: Options,
  maxBytes: number,
): Promise<BatchResult<T>[]> {
  const response = await source.get(path, options);
  const url = redactUrl(response.url || path);
  const timeoutMs = options.timeout ?? source.timeout ?? KY_TIMEOUT_MS;
  const boundary = multipartBoundary(response.headers.get('content-type'));
  if (response.status !== 207 || boundary === undefined) {
    await response.body?.cancel().catch(() => undefined);
    throw malformed(response, url, `expected 207 multipart/mixed, got ${response.status}`);
  }
  let bytes: Uint8Array;
  // The timeout bounds the body read as ky's `.json()` does for other replies: a body that stalls
  // must not hold the call for ever.
  const timer = timeoutMs === false ? undefined : new AbortController();
  const timeout = timer && setTimeout(() => timer.abort(), timeoutMs as number);
  try {
    bytes = await readBounded(response.body, maxBytes, replyErrors(maxBytes), timer?.signal);
  } catch (error) {
    // Too large is the reply's fault; a read that fails is the connection's (or the caller's abort).
    if (error instanceof MultipartError) throw malformed(response, url, error.message);
    if (timer?.signal.aborted) throw toNetworkError(error, 'GET', response.url || path, true);
    throw readFailure(error, options.signal, response.url || path);
  } finally {
    clearTimeout(timeout);
  }
  let parts: ReturnType<typeof parseMultipart>;
  let summary: unknown;
  try {
    parts = parseMultipart(bytes, boundary, { maxParts: ids.length + 1, maxBytes });
    summary = JSON.parse(decoder.decode(parts[0]?.body ?? new Uint8Array()));
  } catch (error) {
    throw malformed(
      response,
      url,
      error instanceof MultipartError ? error.message : 'the first part is not JSON',
    );
  }
  const statuses = (summary as { response?: unknown } | null)?.response;
  // A part may echo the access token that was sent, in its body or its `href`: scrubbed by value.
  const sent = source.sentToken?.(response);
  if (!Array.isArray(statuses) || statuses.length !== ids.length || parts.length !== ids.length + 1)
    throw malformed(response, url, `expected ${ids.length} parts and statuses`);
  return ids.map((id, i): BatchResult<T> => {
    const entry = statuses[i] as { status?: unknown; href?: unknown } | null;
    const status = entry?.status;
    if (typeof status !== 'number' || !Number.isInteger(status))
      throw malformed(response, url, `part ${i + 1} has no status`);
    const text = decoder.decode(parts[i + 1]?.body);
    if (status >= 200 && status < 300) {
      try {
        return { id, status, body: JSON.parse(text) as T };
      } catch {
        throw malformed(response, url, `part ${i + 1} is not JSON`);
      }
    }
    const href = typeof entry?.href === 'string' ? scrub(entry.href, [sent]) : url;
    const requestId = response.headers.get('rcrequestid') ?? undefined;
    return {
      id,
      status,
      error: apiErrorFromBody({ status, method: 'GET', url: href, data: text, requestId, secrets: [sent] }),
    };
  });
}

/**
 * Gets one resource per id: `template` holds `{ids}`, replaced by up to 30 comma-separated ids
 * per request; chunks are sent one after the other. Resolves to one result per id, in input order.
 *
 * @see https://developers.ringcentral.com/guide/basics/batch-requests
 */
export async function batchGet<T>(
  source: BatchSource,
  template: string,
  ids: readonly (string | number)[],
  options: BatchGetOptions = {},
): Promise<BatchResult<T>[]> {
  checkOptions(options, KNOWN_OPTIONS, 'batchGet()');
  const { chunkSize = MAX_BATCH_IDS, maxResponseBytes = DEFAULT_MULTIPART_MAX_BYTES, ...request } = options;
  checkArgs(template, ids, chunkSize, maxResponseBytes);
  const [head, tail] = template.split(PLACEHOLDER) as [string, string];
  const all = ids.map(String);
  const out: BatchResult<T>[] = [];
  for (let i = 0; i < all.length; i += chunkSize) {
    const chunk = all.slice(i, i + chunkSize);
    const path = `${head}${chunk.map(encodeURIComponent).join(',')}${tail}`;
    out.push(
      ...(chunk.length === 1
        ? [await oneId<T>(source, path, chunk[0] as string, request)]
        : await manyIds<T>(source, path, chunk, request, maxResponseBytes)),
    );
  }
  return out;
}
