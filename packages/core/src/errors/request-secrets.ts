// Secrets a request carries in its body or query that the server may quote back in an error reply
// (a webhook's verification token in `errors[].parameterValue` of a 400, say). The client already
// scrubs the access token it sent by value; a caller names any further secret of one request
// here, and the errors plugin scrubs those too, in every rendering, when that request fails. They
// ride in ky's `context` (every hook of the call sees the same one) under a registered symbol, so
// a copy of @rc/core other than the client's still finds them, and no string key can collide
// with an app's own context.

const KEY = Symbol.for('@rc/core.requestSecrets');

/**
 * A ky `context` naming `secrets` as the request's own, for a request that sends them (in its
 * body or query): when the request fails, the `ApiError` (message, `errors[]`, JSON, inspect) and
 * a `NetworkError`'s cause are scrubbed of them by value, raw and in every encoding a server
 * could quote them in. Values shorter than 6 characters are left alone, as everywhere in the
 * scrubber. `context` keeps any other context the call needs.
 * @example
 * await rc.post('/restapi/v1.0/subscription', { json: body, context: requestSecrets([token]) });
 */
export function requestSecrets(
  secrets: ReadonlyArray<string | undefined>,
  context: Record<string, unknown> = {},
): Record<string, unknown> {
  const own = secrets.filter((s): s is string => typeof s === 'string' && s !== '');
  // A context that names secrets already keeps them: requestSecrets([a], requestSecrets([b])).
  return { ...context, [KEY]: Object.freeze([...secretsOfRequest(context), ...own]) };
}

/** The secrets a request's `context` names (see {@link requestSecrets}); none when it names none. */
export function secretsOfRequest(context: unknown): readonly string[] {
  if (typeof context !== 'object' || context === null) return [];
  const value = (context as Record<PropertyKey, unknown>)[KEY];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
