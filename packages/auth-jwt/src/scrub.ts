/**
 * The one place a text from the token endpoint is cleaned of the JWT credential before it reaches
 * an error. Core already removes the exact form value; this also removes a part of it (a truncated
 * echo, one segment) and its other encodings (standard base64, decoded header or payload).
 */
import { isRcError, OAuthError } from '@rc/core';
import { credentialForms } from './credential.js';

const REDACTED = '[redacted]';
/** A run of base64/base64url characters long enough to be a fragment of a credential, not a word. */
const RUN = /[A-Za-z0-9+/_=.-]{12,}/g;

/** A scrubber for one credential: removes every form of it, and every long run that is a piece of one. */
export function credentialScrubber(jwt: string): (text: string) => string {
  const { encoded, decoded } = credentialForms(jwt);
  return (text) => {
    let out = text;
    for (const form of decoded) out = out.split(form).join(REDACTED);
    return out.replace(RUN, (run) => {
      // Trim the dots and padding a sentence may put around a fragment before looking it up.
      const core = run.replace(/^[.=]+|[.=]+$/g, '');
      return core.length >= 12 && encoded.some((form) => form.includes(core)) ? REDACTED : run;
    });
  };
}

/** `error` itself when it holds nothing of the credential, else an `OAuthError` rebuilt from cleaned fields. */
export function scrubOAuthError(error: unknown, scrub: (text: string) => string): unknown {
  // By name, not instanceof: the error may come from another copy of @rc/core than ours.
  if (!isRcError(error) || error.name !== 'OAuthError') return error;
  const oauth = error as OAuthError;
  const description = oauth.errorDescription && scrub(oauth.errorDescription);
  const errorCode = oauth.errorCode && scrub(oauth.errorCode);
  const name = scrub(oauth.error);
  if (description === oauth.errorDescription && errorCode === oauth.errorCode && name === oauth.error) {
    return error;
  }
  return new OAuthError({
    status: oauth.status,
    error: name,
    code: oauth.code,
    ...(description ? { errorDescription: description } : {}),
    ...(errorCode ? { errorCode } : {}),
  });
}
