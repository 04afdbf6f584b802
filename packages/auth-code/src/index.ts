export type { AuthCodeGrantOptions } from './auth-code-grant.js';
export { authCodeGrant } from './auth-code-grant.js';
export type { AuthorizeUrlOptions, AuthorizeUrlResult, Display, Prompt } from './authorize-url.js';
export { authorizeUrl } from './authorize-url.js';
export type { CallbackInput, CallbackResult, ParseCallbackOptions } from './callback.js';
export { parseCallback } from './callback.js';
export type { ClientLike } from './checks.js';
export type { PkcePair } from './pkce.js';
export { createPkce, pkceChallenge } from './pkce.js';
