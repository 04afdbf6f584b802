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
 * Every `.json()` runs it: nothing is allocated on the way unless parsing fails.
 */
export function strictParseJson(parse: ParseJson | undefined): ParseJson {
  const malformed = (error: unknown, text: string, context: Context) =>
    error instanceof SyntaxError ? notJson(text, context) : error;
  return (text, context) => {
    // No Content (204) and Reset Content (205) have no body by definition: nothing is malformed.
    if (text === '' && (context.response.status === 204 || context.response.status === 205)) return undefined;
    let value: unknown;
    try {
      value = parse ? parse(text, context) : JSON.parse(text);
    } catch (error) {
      throw malformed(error, text, context);
    }
    if (value instanceof Promise) {
      return value.catch((error: unknown) => {
        throw malformed(error, text, context);
      });
    }
    return value;
  };
}
