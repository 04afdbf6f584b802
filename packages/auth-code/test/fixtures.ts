import type { ClientInfo } from '@rc/core';

export const SERVER = 'https://platform.devtest.ringcentral.com';
export const REDIRECT = 'https://app.example.com/oauth/callback';

/** A client without a secret (browser, mobile, desktop): PKCE is mandatory. */
export const publicClient: ClientInfo = {
  server: SERVER,
  clientId: 'public-id',
  redirectUri: REDIRECT,
  confidential: false,
};

/** A client with a secret (server-side web app): PKCE is optional. */
export const confidentialClient: ClientInfo = {
  server: SERVER,
  clientId: 'confidential-id',
  redirectUri: REDIRECT,
  confidential: true,
};

export const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Runs `fn` and returns what it threw (or the rejection of what it returned). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
