/**
 * Scripted replies: `override()` (an operation's reply or handler, typed by `@rc/api` once a
 * program imports it) and `failNext()` rules. Their own sheet because they are the mock's testing
 * vocabulary, not RingCentral's.
 */
import type { ApiTypes } from '@rc/core';
import type { RestErrorBody } from '../errors.js';

/** The request an override's handler sees. */
export interface OverrideRequest {
  /** Upper-case method. */
  method: string;
  /** The path, without the query. */
  path: string;
  /** The values of the override path's `{param}` segments, by name (decoded). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON (throws when it is not). */
  json(): unknown;
}

/** What an override answers. */
export interface OverrideReply<Body> {
  /** The status. @default the operation's described success status (200 when the path is not described) */
  status?: number;
  /** An object is sent as JSON, a string as text; none sends an empty body. */
  body?: Body | RestErrorBody | string;
  /** Headers to add. */
  headers?: Record<string, string>;
  /** Answer after this many ms (on top of the server's latency). @default 0 */
  delay?: number;
}

/**
 * The success reply type of the operation `method path` calls, once the program imports `@rc/api`
 * (which fills @rc/core's type registry); `unknown` before, and for an undocumented path. Read
 * through the registry so that importing @rc/testing never types a program's calls by itself.
 */
export type OverrideBody<M extends string, P extends string> =
  ApiTypes<Lowercase<M>, P> extends { response: infer R } ? R : unknown;

/** An operation's scripted behaviour; see {@link MockServer.override}. */
export interface MockOverride<M extends string, P extends string> extends OverrideReply<OverrideBody<M, P>> {
  /** Computes the reply per request; `undefined` lets the request through to the mock's own behaviour. */
  handler?: (
    request: OverrideRequest,
  ) => OverrideReply<OverrideBody<M, P>> | undefined | Promise<OverrideReply<OverrideBody<M, P>> | undefined>;
  /** How many requests it answers. @default every one, until {@link MockServer.reset} */
  times?: number;
}

/** A canned answer for the next matching request(s); see {@link MockServer.failNext}. */
export interface FailRule {
  /** HTTP method to match (any when absent). */
  method?: string | undefined;
  /** Path to match exactly, without query, e.g. `/restapi/oauth/token`. */
  path: string;
  /** HTTP status to answer with. */
  status: number;
  /** Body: an object is sent as JSON; a string as is. Default: a RingCentral error body for the status. */
  body?: string | object | undefined;
  /** Headers to add to the answer. */
  headers?: Record<string, string> | undefined;
  /** How many requests it answers. @default 1 */
  times?: number | undefined;
  /** Reset the connection instead of answering: the client sees a network error. */
  destroy?: boolean | undefined;
  /**
   * Never answer: the request is held open until the client gives up (or the server closes). A
   * token endpoint or proxy that hangs.
   */
  hang?: boolean | undefined;
  /** Answer only after this many ms (a slow endpoint), on top of the server's latency. @default 0 */
  delayMs?: number | undefined;
  /**
   * A careless server or proxy: the error body quotes what the request sent (its form body and its
   * `Authorization` header) in `message`, `error_description` and `errors[].message`, RingCentral-shaped.
   * Only with an error `status` and no `body`.
   */
  echo?: boolean | undefined;
}
