/**
 * RingCentral's two error body shapes. The OAuth endpoints answer RFC 6749 bodies extended with
 * RingCentral's `errors[]`; the REST API answers `{ errorCode, message, errors }`. Messages here are
 * fixed strings: no reply ever echoes a password, token, code, verifier or client secret.
 */
import { STATUS_CODES } from 'node:http';
import { json, type Reply } from './http.js';

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  errors: { errorCode: string; message: string }[];
}

export interface RestErrorBody {
  errorCode: string;
  message: string;
  errors: { errorCode: string; message: string; [key: string]: unknown }[];
}

export function oauthErrorBody(error: string, description: string, errorCode: string): OAuthErrorBody {
  return { error, error_description: description, errors: [{ errorCode, message: description }] };
}

export function oauthError(status: number, error: string, description: string, errorCode: string): Reply {
  const headers: Record<string, string> = {};
  // RFC 6749 §5.2: a 401 invalid_client names the auth scheme the client should use.
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="RingCentral"';
  return json(status, oauthErrorBody(error, description, errorCode), headers);
}

export function restErrorBody(
  errorCode: string,
  message: string,
  extra: Record<string, unknown> = {},
): RestErrorBody {
  return { errorCode, message, errors: [{ errorCode, message, ...extra }] };
}

/** A REST error whose `errors[0]` may carry more (a more specific code, `parameterName`). */
export function restError(
  status: number,
  errorCode: string,
  message: string,
  detail: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return json(status, restErrorBody(errorCode, message, detail), headers);
}

// The OAuth failures the endpoints share, named so the handlers read like the protocol.
export const invalidClient = () => oauthError(401, 'invalid_client', 'Invalid client', 'OAU-153');
export const invalidRequest = (parameter: string) =>
  oauthError(400, 'invalid_request', `Parameter [${parameter}] is invalid`, 'OAU-101');
export const invalidGrant = (description: string, errorCode: string) =>
  oauthError(400, 'invalid_grant', description, errorCode);
export const tokenNotFound = () => invalidGrant('Token not found', 'OAU-211');

// RingCentral's 401s for the REST API: `TokenInvalid` with the specific OAU code beneath.
export const missingBearer = () =>
  restError(401, 'TokenInvalid', 'Authorization header is not specified', { errorCode: 'OAU-123' });
export const accessTokenNotFound = () =>
  restError(401, 'TokenInvalid', 'Token not found', { errorCode: 'OAU-213' });
export const accessTokenExpired = () =>
  restError(401, 'TokenInvalid', 'Access token expired', { errorCode: 'OAU-213' });
export const notFound = () => restError(404, 'CMN-404', 'Resource not found');
export const methodNotAllowed = (allow: string) =>
  restError(405, 'CMN-405', 'Method not allowed', {}, { Allow: allow });
export const rateExceeded = (retryAfterSec: number, headers: Record<string, string>) =>
  restError(
    429,
    'CMN-301',
    'Request rate exceeded',
    {},
    { ...headers, 'Retry-After': String(retryAfterSec) },
  );

/** The body a `failNext` rule sends when it gives none: a plausible RingCentral error for the status. */
export function defaultErrorBody(status: number): RestErrorBody | Record<string, never> {
  if (status < 400) return {};
  const known: Record<number, [string, string]> = {
    429: ['CMN-301', 'Request rate exceeded'],
    500: ['CMN-201', 'Service Temporary Unavailable'],
    502: ['CMN-201', 'Service Temporary Unavailable'],
    503: ['CMN-211', 'Service Temporary Unavailable'],
    504: ['CMN-201', 'Service Temporary Unavailable'],
  };
  const [code, message] = known[status] ?? [`CMN-${status}`, STATUS_CODES[status] ?? 'Error'];
  return restErrorBody(code, message);
}

/** RingCentral's 404 body for an extension id it does not know (or the caller may not reach). */
export const extensionNotFoundBody = () =>
  restErrorBody('CMN-102', 'Resource for parameter [extensionId] is not found', {
    parameterName: 'extensionId',
  });
/** {@link extensionNotFoundBody} as a 404 reply. */
export const extensionNotFound = () => json(404, extensionNotFoundBody());
