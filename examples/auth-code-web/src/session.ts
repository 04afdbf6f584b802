// A signed cookie session: the data lives in the browser's cookie, signed with HMAC-SHA256 so the
// browser cannot change it, and HttpOnly so page scripts cannot read it. It holds the pending
// login (state and PKCE verifier, until the callback) and, once signed in, the user's store key.
// The signing key is random per process unless given: restarting the app signs everyone out.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A login started by `/login`, waiting for `/callback`. */
export interface PendingLogin {
  state: string;
  codeVerifier?: string;
}

export interface SessionData {
  pending?: PendingLogin;
  /** The key of this user's token in the token store (`rc.session(userKey)`). */
  userKey?: string;
}

export interface CookieSessionOptions {
  /** `Secure` cookie (and the `__Host-` name prefix): set it whenever the app is served over https. */
  secure: boolean;
  /** The HMAC key, at least 32 bytes; share one among processes behind a load balancer. @default 32 random bytes */
  secret?: Uint8Array;
  /** @default Date.now */
  now?: () => number;
}

export interface CookieSession {
  read(req: IncomingMessage): SessionData;
  /** Sets the cookie; it is refused after `maxAgeSec` (by the browser and by `read`). */
  save(res: ServerResponse, data: SessionData, maxAgeSec: number): void;
  clear(res: ServerResponse): void;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The session data from a verified payload, keeping only known fields of the right type. */
function toSessionData(value: unknown): SessionData {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: SessionData = {};
  const p = (typeof v.pending === 'object' && v.pending !== null ? v.pending : {}) as Record<string, unknown>;
  if (isString(p.state)) {
    out.pending = isString(p.codeVerifier)
      ? { state: p.state, codeVerifier: p.codeVerifier }
      : { state: p.state };
  }
  if (isString(v.userKey)) out.userKey = v.userKey;
  return out;
}

export function cookieSession(options: CookieSessionOptions): CookieSession {
  const secret = options.secret ?? randomBytes(32);
  if (secret.length < 32) throw new Error('cookieSession: `secret` must be at least 32 bytes');
  const now = options.now ?? Date.now;
  const name = options.secure ? '__Host-rc-session' : 'rc-session';
  const attributes = `Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();

  const verify = (value: string): SessionData | undefined => {
    const dot = value.indexOf('.');
    if (dot < 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = sign(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const { exp, data } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof exp === 'number' && exp > now() ? toSessionData(data) : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    read(req) {
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
        const data = verify(part.slice(eq + 1).trim());
        if (data) return data;
      }
      return {};
    },
    save(res, data, maxAgeSec) {
      const payload = Buffer.from(JSON.stringify({ exp: now() + maxAgeSec * 1000, data })).toString(
        'base64url',
      );
      const value = `${payload}.${sign(payload).toString('base64url')}`;
      res.setHeader('Set-Cookie', `${name}=${value}; ${attributes}; Max-Age=${maxAgeSec}`);
    },
    clear(res) {
      res.setHeader('Set-Cookie', `${name}=; ${attributes}; Max-Age=0`);
    },
  };
}
