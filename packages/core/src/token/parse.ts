import { ConfigError } from '../errors/config-error.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { TokenSet } from '../types.js';
import { checkTokenSet, isHeaderSafeToken } from './check.js';

// Wire names (access_token, expires_in, ...) are read here and nowhere else.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const optString = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const toNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/**
 * The longest lifetime we keep for a token, in seconds (10 years). A larger `expires_in` (say
 * 1e308) is clamped to it: expiry must stay a finite epoch ms that every store accepts, or memory
 * would hold a token the store refused.
 */
export const MAX_TOKEN_LIFETIME_S = 315_360_000;

const invalidReply = (status: number, what: string) =>
  new OAuthError({
    status,
    error: 'invalid_token_response',
    errorDescription: `the token endpoint replied ${what}`,
  });

/** Copies the optional fields, leaving out the ones that are absent (exactOptionalPropertyTypes). */
function withOptional(
  base: Pick<TokenSet, 'accessToken' | 'tokenType' | 'expiresAt'>,
  opt: { [K in keyof TokenSet]?: TokenSet[K] | undefined },
): TokenSet {
  const out: TokenSet = { ...base };
  for (const [k, v] of Object.entries(opt) as [keyof TokenSet, unknown][]) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * Reads a token endpoint reply (`access_token`, `expires_in`, ...) into a TokenSet. Expiry is
 * computed from `expires_in` against `now` (never an assumed hour). A reply that is not a token
 * throws `OAuthError` (`invalid_token_response`), never a `TypeError`.
 */
export function parseTokenResponse(body: unknown, now: number, status = 200): TokenSet {
  if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalidReply(status, 'without an access_token');
  }
  if (!isHeaderSafeToken(body.access_token))
    throw invalidReply(status, 'an access_token that cannot be sent in a header');
  const expiresIn = toNumber(body.expires_in);
  if (expiresIn === undefined || expiresIn <= 0) throw invalidReply(status, 'without a valid expires_in');
  // We only ever send `Authorization: Bearer`: a token of another type (mac, DPoP, ...) would be
  // misused, so it is refused rather than sent the wrong way.
  const tokenType = optString(body.token_type)?.toLowerCase() ?? 'bearer';
  if (tokenType !== 'bearer') throw invalidReply(status, 'a token_type other than bearer');
  const refreshIn = toNumber(body.refresh_token_expires_in);
  if (body.refresh_token_expires_in !== undefined && body.refresh_token_expires_in !== null) {
    if (refreshIn === undefined || refreshIn <= 0)
      throw invalidReply(status, 'an invalid refresh_token_expires_in');
  }
  const refreshToken = optString(body.refresh_token);
  const seconds = (s: number) => Math.min(s, MAX_TOKEN_LIFETIME_S) * 1000;
  return withOptional(
    {
      accessToken: body.access_token,
      tokenType,
      expiresAt: now + seconds(expiresIn),
    },
    {
      refreshToken,
      refreshTokenExpiresAt: refreshToken && refreshIn !== undefined ? now + seconds(refreshIn) : undefined,
      scope: optString(body.scope),
      ownerId: optString(body.owner_id),
      endpointId: optString(body.endpoint_id),
    },
  );
}

/** Epoch ms from another library's `expires_at`: a Date, epoch seconds (openid-client), or epoch ms. */
function expiresAtToMs(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  const n = toNumber(v);
  if (n === undefined) return undefined;
  // Seconds and milliseconds differ by 1000x: anything below 1e11 (year 5138 in seconds,
  // 1973 in ms) is read as seconds.
  const ms = n < 1e11 ? n * 1000 : n;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Normalises what `setToken` was given: a TokenSet (also after a JSON round trip), a raw OAuth
 * token response (`expires_in`), or another library's token object (`expires_at`: Date or epoch
 * seconds). Throws `ConfigError` for anything else; the message never holds the value.
 */
export function normalizeTokenInput(input: unknown, now: number): TokenSet {
  const checked = checkTokenSet(input);
  if (checked.ok) return checked.token;
  const given = isObject(input) ? (input.accessToken ?? input.access_token) : undefined;
  if (typeof given === 'string' && given !== '' && !isHeaderSafeToken(given)) {
    throw new ConfigError(
      'setToken(): the access token holds characters a header cannot carry (line breaks, spaces, control or non-ASCII characters)',
      'token',
    );
  }
  if (!isObject(input) || typeof input.access_token !== 'string' || input.access_token === '') {
    throw new ConfigError(
      'setToken() needs a TokenSet, an OAuth token response (access_token, expires_in), or a token with expires_at',
      'token',
    );
  }
  if (input.expires_in === undefined && input.expires_at !== undefined) {
    const expiresAt = expiresAtToMs(input.expires_at);
    if (expiresAt === undefined)
      throw new ConfigError('setToken(): expires_at is not a date or a number', 'token.expires_at');
    const refreshToken = optString(input.refresh_token);
    const refreshIn = toNumber(input.refresh_token_expires_in);
    return withOptional(
      { accessToken: input.access_token, tokenType: optString(input.token_type) ?? 'bearer', expiresAt },
      {
        refreshToken,
        refreshTokenExpiresAt:
          expiresAtToMs(input.refresh_token_expires_at) ??
          (refreshToken && refreshIn !== undefined ? now + refreshIn * 1000 : undefined),
        scope: optString(input.scope),
        ownerId: optString(input.owner_id),
        endpointId: optString(input.endpoint_id),
      },
    );
  }
  try {
    return parseTokenResponse(input, now);
  } catch {
    throw new ConfigError('setToken(): the token has no valid expires_in or expires_at', 'token.expires_in');
  }
}
