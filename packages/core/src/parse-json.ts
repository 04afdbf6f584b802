import type { Options } from 'ky';
import { malformedReply } from './errors/api-error-body.js';

// ky's `parseJson`, as every session's ky instance has it: `.json()` on the ResponsePromise and on
// the awaited Response both go through it. A body that is not JSON is a typed ApiError (status,
// request id, redacted URL) rather than a bare SyntaxError, whose message quotes the text it failed on.

type ParseJson = NonNullable<Options['parseJson']>;
type Context = Parameters<ParseJson>[1];

const notJson = (text: string, { request, response }: Context) =>
  malformedReply(
    response,
    request.method,
    response.url || request.url,
    text === '' ? 'the body is empty, not valid JSON' : 'the body is not valid JSON',
  );

/**
 * Parses with `parse` (the client's `parseJson` option) or `JSON.parse`; a SyntaxError, thrown or
 * rejected, becomes the ApiError of a malformed reply. Other errors of a custom parser pass as they are.
 */
export function strictParseJson(parse: ParseJson | undefined): ParseJson {
  return (text, context) => {
    // No Content (204) and Reset Content (205) have no body by definition: nothing is malformed.
    if (text === '' && (context.response.status === 204 || context.response.status === 205)) return undefined;
    const fail = (error: unknown): never => {
      throw error instanceof SyntaxError ? notJson(text, context) : error;
    };
    try {
      const value = parse ? parse(text, context) : JSON.parse(text);
      return value instanceof Promise ? value.catch(fail) : value;
    } catch (error) {
      return fail(error);
    }
  };
}
