/**
 * Token state. A session is one login: it holds the current access and refresh token. Refreshing
 * rotates both on the same session and forgets the old ones, so the old refresh token gets
 * invalid_grant and the old access token answers 401 at once, as on RingCentral. Revoking either
 * token ends the whole session.
 */
import { randomToken } from './secrets.js';
import type { RawTokenResponse } from './types/server.js';

/** The scope the mock grants every token: what a typical RingCentral app asks for. */
export const MOCK_SCOPE = 'ReadAccounts ReadMessages SMS';

export interface Session {
  userId: string;
  clientId: string;
  endpointId: string;
  /** RingCentral's `session_id`: one per login, kept through refreshes. */
  sessionId: string;
  accessToken: string;
  /** Epoch ms on the server clock. */
  accessExpiresAt: number;
  accessTtl: number;
  refreshToken: string;
  refreshExpiresAt: number;
  refreshTtl: number;
}

export interface IssueParams {
  userId: string;
  clientId: string;
  /** Seconds. */
  accessTtl: number;
  /** Seconds. */
  refreshTtl: number;
  endpointId?: string | undefined;
}

/** A lookup result: the live session, or why there is none. */
export type Lookup = { session: Session } | { missing: 'not-found' | 'expired' };

export class Sessions {
  readonly #byAccess = new Map<string, Session>();
  readonly #byRefresh = new Map<string, Session>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Starts a session (a login) and returns it with fresh tokens. */
  create(params: IssueParams): Session {
    const session: Session = {
      userId: params.userId,
      clientId: params.clientId,
      endpointId: params.endpointId ?? randomToken(16),
      sessionId: randomToken(16),
      accessToken: '',
      accessExpiresAt: 0,
      accessTtl: 0,
      refreshToken: '',
      refreshExpiresAt: 0,
      refreshTtl: 0,
    };
    this.#issue(session, params.accessTtl, params.refreshTtl);
    return session;
  }

  /** Rotates both tokens of a session; the previous ones stop working immediately. */
  rotate(session: Session, accessTtl: number, refreshTtl: number, endpointId?: string): Session {
    this.#byAccess.delete(session.accessToken);
    this.#byRefresh.delete(session.refreshToken);
    if (endpointId !== undefined) session.endpointId = endpointId;
    this.#issue(session, accessTtl, refreshTtl);
    return session;
  }

  findByAccess(token: string): Lookup {
    return this.#find(this.#byAccess, token, (s) => s.accessExpiresAt);
  }

  findByRefresh(token: string): Lookup {
    return this.#find(this.#byRefresh, token, (s) => s.refreshExpiresAt);
  }

  /** Ends the session holding `token` (access or refresh) if `clientId` owns it; `false` when none was ended. */
  revoke(token: string, clientId: string): boolean {
    const session = this.#byAccess.get(token) ?? this.#byRefresh.get(token);
    if (!session || session.clientId !== clientId) return false;
    this.#byAccess.delete(session.accessToken);
    this.#byRefresh.delete(session.refreshToken);
    return true;
  }

  /** Every access token issued so far stops working; sessions live on through their refresh tokens. */
  invalidateAccessTokens(): void {
    this.#byAccess.clear();
  }

  /** Every refresh token issued so far stops working; their access tokens live until they expire. */
  invalidateRefreshTokens(): void {
    this.#byRefresh.clear();
  }

  /** The session's current tokens as the token endpoint sends them. */
  toResponse(session: Session): RawTokenResponse {
    return {
      access_token: session.accessToken,
      token_type: 'bearer',
      expires_in: session.accessTtl,
      refresh_token: session.refreshToken,
      refresh_token_expires_in: session.refreshTtl,
      scope: MOCK_SCOPE,
      owner_id: session.userId,
      endpoint_id: session.endpointId,
      session_id: session.sessionId,
    };
  }

  #issue(session: Session, accessTtl: number, refreshTtl: number): void {
    const now = this.#now();
    session.accessToken = randomToken();
    session.accessTtl = accessTtl;
    session.accessExpiresAt = now + accessTtl * 1000;
    session.refreshToken = randomToken();
    session.refreshTtl = refreshTtl;
    session.refreshExpiresAt = now + refreshTtl * 1000;
    this.#byAccess.set(session.accessToken, session);
    this.#byRefresh.set(session.refreshToken, session);
  }

  #find(map: Map<string, Session>, token: string, expiresAt: (s: Session) => number): Lookup {
    const session = map.get(token);
    if (!session) return { missing: 'not-found' };
    if (this.#now() >= expiresAt(session)) {
      // Forget expired tokens so the maps do not grow for the life of a long benchmark.
      map.delete(token);
      return { missing: 'expired' };
    }
    return { session };
  }
}
