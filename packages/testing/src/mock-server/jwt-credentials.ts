/**
 * JWT credentials, as RingCentral's developer console issues them: a signed JWT (RFC 7519) naming
 * one user, optionally bound to chosen client ids, optionally expiring, revocable. The token
 * endpoint accepts one as `assertion` of the JWT bearer grant (RFC 7523 §2.1). The mock signs with
 * HS256 and a key of its own (RingCentral uses RS256 and its own keys): only the mock's credentials
 * verify, and any other JWT is refused as RingCentral refuses it.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { invalidGrant, oauthError } from './errors.js';
import type { Reply } from './http.js';
import { safeEqual } from './secrets.js';

interface Claims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp?: number;
  jti: string;
}

export interface JwtIssue {
  userId: string;
  /** The client ids the credential may be used with; all clients when absent. */
  clientIds?: string[] | undefined;
  /** Lifetime in seconds; never expires when absent. */
  expiresInSec?: number | undefined;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

// RingCentral's answer to a JWT it did not sign, cannot parse, or that names another server.
const invalidAssertion = () => oauthError(400, 'invalid_request', 'Invalid assertion signature', 'OAU-345');

export class JwtCredentials {
  readonly #key = randomBytes(32);
  readonly #now: () => number;
  readonly #issuer: () => string;
  /** Live credentials by `jti`, with the client ids each is bound to. */
  readonly #live = new Map<string, string[] | undefined>();

  constructor(now: () => number, issuer: () => string) {
    this.#now = now;
    this.#issuer = issuer;
  }

  issue({ userId, clientIds, expiresInSec }: JwtIssue): string {
    const iat = Math.floor(this.#now() / 1000);
    const claims: Claims = {
      iss: this.#issuer(),
      aud: `${this.#issuer()}/restapi/oauth/token`,
      sub: userId,
      iat,
      ...(expiresInSec === undefined ? {} : { exp: iat + expiresInSec }),
      jti: randomUUID(),
    };
    this.#live.set(claims.jti, clientIds && [...clientIds]);
    const signingInput = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
    return `${signingInput}.${this.#sign(signingInput)}`;
  }

  /** Revokes a credential (as deleting it in the console does); `false` when it was not a live one. */
  revoke(jwt: string): boolean {
    const claims = this.#verified(jwt);
    return claims !== undefined && this.#live.delete(claims.jti);
  }

  /** The user id the assertion logs in as, or the error reply RingCentral gives for it. */
  check(assertion: string, clientId: string): { userId: string } | Reply {
    const claims = this.#verified(assertion);
    if (!claims) return invalidAssertion();
    if (!this.#live.has(claims.jti)) return invalidGrant('JWT token is revoked', 'OAU-213');
    if (claims.exp !== undefined && this.#now() >= claims.exp * 1000) {
      return invalidGrant('JWT token is expired', 'OAU-211');
    }
    const bound = this.#live.get(claims.jti);
    if (bound && !bound.includes(clientId)) {
      return invalidGrant('JWT token is not authorized for this application', 'OAU-240');
    }
    return { userId: claims.sub };
  }

  #sign(input: string): string {
    return createHmac('sha256', this.#key).update(input).digest('base64url');
  }

  /** The claims of a JWT this server signed for itself, else `undefined`. */
  #verified(jwt: string): Claims | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    if (!safeEqual(this.#sign(`${header}.${payload}`), signature)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
      return claims.aud === `${this.#issuer()}/restapi/oauth/token` ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
