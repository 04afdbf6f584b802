/**
 * Authorization codes: single-use, short-lived, and bound to the client, the redirect URI and the
 * PKCE challenge of the authorize request that produced them (RFC 6749 §4.1.3, RFC 7636 §4.6).
 */
import { randomToken } from './secrets.js';

/** RingCentral's codes live about a minute. */
export const CODE_TTL_MS = 60_000;

export interface AuthCode {
  clientId: string;
  /** Where the code was sent. */
  redirectUri: string;
  /** Whether the authorize request named it: the token request must then repeat it (RFC 6749 §4.1.3). */
  redirectUriSent: boolean;
  /** The S256 challenge, when the authorize request sent one. */
  codeChallenge: string | undefined;
  userId: string;
  expiresAt: number;
}

export class AuthCodes {
  readonly #codes = new Map<string, AuthCode>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  issue(grant: Omit<AuthCode, 'expiresAt'>): string {
    const code = randomToken();
    this.#codes.set(code, { ...grant, expiresAt: this.#now() + CODE_TTL_MS });
    return code;
  }

  /**
   * Consumes a code: it is deleted on its first presentation, whether or not the rest of the
   * exchange succeeds, so a leaked code cannot be tried twice (e.g. with guessed verifiers).
   */
  take(code: string): AuthCode | 'expired' | undefined {
    const found = this.#codes.get(code);
    if (!found) return undefined;
    this.#codes.delete(code);
    return this.#now() >= found.expiresAt ? 'expired' : found;
  }
}
