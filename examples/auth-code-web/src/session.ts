// A sealed cookie session: the data lives in the browser's cookie, encrypted and authenticated with
// AES-256-GCM, so the browser can neither read it (it holds the PKCE verifier, a secret) nor change
// it, and HttpOnly so page scripts cannot even see it. It holds the pending login (state and PKCE
// verifier, until the callback) and, once signed in, the user's store key. The key is random per
// process unless given: restarting the app signs everyone out.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
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
  /** The cookie key, at least 32 bytes; share one among processes behind a load balancer. @default 32 random bytes */
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

const IV_BYTES = 12;
const TAG_BYTES = 16;

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The session data from an opened payload, keeping only known fields of the right type. */
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

/** base64url decoding that refuses non-canonical text, so that no two cookie values open alike. */
function decode(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

export function cookieSession(options: CookieSessionOptions): CookieSession {
  const secret = options.secret ?? randomBytes(32);
  if (secret.length < 32) throw new Error('cookieSession: `secret` must be at least 32 bytes');
  // An AES key of exactly 32 bytes from a secret of any length >= 32.
  const key = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'rc-session cookie', 32));
  const now = options.now ?? Date.now;
  const name = options.secure ? '__Host-rc-session' : 'rc-session';
  const attributes = `Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;

  /** `base64url(iv + ciphertext).base64url(tag)` */
  const seal = (plaintext: string): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${sealed.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  };

  const open = (value: string): SessionData | undefined => {
    const [body = '', tagText = '', ...rest] = value.split('.');
    const sealed = decode(body);
    const tag = decode(tagText);
    if (rest.length > 0 || !sealed || sealed.length <= IV_BYTES || tag?.length !== TAG_BYTES)
      return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES)), decipher.final()]);
      const { exp, data } = JSON.parse(plaintext.toString('utf8'));
      return typeof exp === 'number' && exp > now() ? toSessionData(data) : undefined;
    } catch {
      return undefined; // tampered, sealed with another key, or not ours
    }
  };

  return {
    read(req) {
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
        const data = open(part.slice(eq + 1).trim());
        if (data) return data;
      }
      return {};
    },
    save(res, data, maxAgeSec) {
      const value = seal(JSON.stringify({ exp: now() + maxAgeSec * 1000, data }));
      res.setHeader('Set-Cookie', `${name}=${value}; ${attributes}; Max-Age=${maxAgeSec}`);
    },
    clear(res) {
      res.setHeader('Set-Cookie', `${name}=; ${attributes}; Max-Age=0`);
    },
  };
}
