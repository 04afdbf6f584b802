// Property-based tests over what a user or a server hands us. The properties: only an RcError ever
// escapes, nothing hangs (every case bounded), the stored token is never replaced by a bad one, no
// secret appears in any rendering. Seeded (FC_SEED) and short in the suite; `npm run fuzz` runs
// them long (FC_RUNS).
import { inspect } from 'node:util';
import { createClient, isRcError, RcError, type TokenSet } from '@rc/core';
import { checkTokenSet, normalizeTokenInput, parseTokenResponse } from '@rc/core/kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../src/errors/error-body.js';
import { scrub } from '../../src/redact.js';
import { client, EXT, mockServer } from '../fixtures.js';

const RUNS = Number(process.env.FC_RUNS ?? 60);
const SEED = Number(process.env.FC_SEED ?? 20_261_210);
const params = { numRuns: RUNS, seed: SEED };
/** The time a property through the client may take: a minute by default, more for long runs (npm run fuzz). */
const LONG = Math.max(60_000, RUNS * 100);

/** Throws unless `fn` returns or throws an RcError. */
const onlyRcError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (!isRcError(error)) throw new Error(`a non-RcError escaped: ${String(error)}`);
  }
};

/** An accepted token can go on the wire: fetch's Headers takes it (issue 18 item 8). */
const sendable = (token: TokenSet) => {
  expect(() => new Headers({ authorization: `Bearer ${token.accessToken}` })).not.toThrow();
  expect(token.accessToken).toBe(token.accessToken.trim());
};

const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true });
const wireValue = fc.oneof(anything, fc.double(), fc.integer(), fc.string(), fc.constant(undefined));
const tokenReply = fc.record(
  {
    access_token: fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('a', 'Z', '9', '\r', '\n', ' ', '\0', '€') }),
      anything,
    ),
    token_type: fc.oneof(fc.constantFrom('bearer', 'Bearer', 'mac', ''), wireValue),
    expires_in: fc.oneof(fc.double(), fc.integer(), fc.string(), wireValue),
    refresh_token: fc.oneof(fc.string(), wireValue),
    refresh_token_expires_in: fc.oneof(fc.double(), fc.integer(), wireValue),
    scope: wireValue,
    owner_id: wireValue,
  },
  { requiredKeys: [] },
);

describe('properties: only an RcError escapes, and what is accepted is a valid TokenSet', () => {
  it('token replies', () => {
    fc.assert(
      fc.property(fc.oneof(tokenReply, anything), (body) => {
        onlyRcError(() => {
          const token = parseTokenResponse(body, 1_700_000_000_000);
          expect(checkTokenSet(token).ok).toBe(true);
          expect(token.tokenType).toBe('bearer');
          sendable(token);
        });
      }),
      params,
    );
  });

  it('setToken inputs', () => {
    const input = fc.oneof(
      tokenReply,
      fc.record({ access_token: fc.string(), expires_at: fc.oneof(fc.date(), fc.double(), fc.string()) }),
      anything,
    );
    fc.assert(
      fc.property(input, (value) => {
        onlyRcError(() => {
          const token = normalizeTokenInput(value, 1_700_000_000_000);
          expect(checkTokenSet(token).ok).toBe(true);
          sendable(token);
        });
      }),
      params,
    );
  });

  it('client options', () => {
    const options = fc.record(
      {
        server: fc.oneof(fc.constant('https://platform.ringcentral.com'), fc.string(), fc.webUrl(), anything),
        clientId: fc.oneof(fc.constant('id'), anything),
        clientSecret: wireValue,
        redirectUri: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:x', 'data:,x', 'app:/cb'), wireValue),
        timeout: fc.oneof(fc.double(), fc.integer(), fc.constant(false), wireValue),
        tokenTimeoutMs: fc.oneof(fc.double(), wireValue),
        retry: fc.oneof(fc.integer(), fc.record({ limit: fc.double() }), wireValue),
        refreshSkewMs: fc.oneof(fc.double(), wireValue),
        hooks: wireValue,
        headers: wireValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (o) => onlyRcError(() => createClient(o as never))),
      params,
    );
  });

  it('store values read back', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const checked = checkTokenSet(value);
        if (checked.ok) expect(Number.isFinite(checked.token.expiresAt)).toBe(true);
      }),
      params,
    );
  });
});

// Secrets as RingCentral and users make them: long enough to be worth redacting (≥ 6 characters).
const secret = fc.string({
  minLength: 6,
  maxLength: 40,
  unit: fc.constantFrom(...'aZ09 @&+%=/:!~*-._?#<>"\'ü€'.split('')),
});
const formEncoded = (s: string) => new URLSearchParams({ s }).toString().slice(2);
const entities = (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const renderingsOf = (s: string) => [
  s,
  encodeURIComponent(s),
  formEncoded(s),
  // issue 18 item 11: hex, double URL-encoding, HTML escaping and character references
  Buffer.from(s).toString('hex'),
  Buffer.from(s).toString('hex').toUpperCase(),
  encodeURIComponent(encodeURIComponent(s)),
  encodeURIComponent(formEncoded(s)),
  html(s),
  entities(s),
];

describe('properties: no secret in any rendering', () => {
  it('scrub() removes every rendering of a known secret from any text around it', () => {
    fc.assert(
      fc.property(
        secret,
        fc.string(),
        fc.string(),
        fc.integer({ min: 0, max: renderingsOf('x').length - 1 }),
        (s, before, after, form) => {
          const quoted = renderingsOf(s)[form]!;
          const out = scrub(`${before}${quoted}${after}`, [s]);
          expect(out).not.toContain(quoted.length >= 6 ? quoted : '\u0000');
        },
      ),
      params,
    );
  });

  it('an error body quoting secrets becomes an RcError whose renderings hold none of them', () => {
    const token = fc.string({
      minLength: 40,
      maxLength: 80,
      unit: fc.constantFrom(...'ABCxyz0189-_'.split('')),
    });
    fc.assert(
      fc.property(secret, token, fc.string(), (s, t, noise) => {
        const body = {
          error: `${noise}${s}`,
          error_description: `Bearer ${t} ${encodeURIComponent(s)}`,
          errors: [{ errorCode: noise, message: `${t}` }],
        };
        const read = readErrorBody(JSON.stringify(body), [s]);
        const error = new RcError('RC_OAUTH', `${read.error} ${read.description}`);
        for (const text of [
          String(error),
          error.stack ?? '',
          JSON.stringify(error),
          inspect(error),
          JSON.stringify(read),
        ]) {
          for (const form of renderingsOf(s)) if (form.length >= 6) expect(text).not.toContain(form);
          expect(text).not.toContain(t);
        }
      }),
      params,
    );
  });
});

/**
 * A reply status from `min` to 599, but not 421: fetch itself sends a request again after a 421
 * Misdirected Request (Fetch standard, HTTP-network-or-cache fetch), so the mock's one-shot
 * scripted reply is never what the client sees (FC_RUNS=1500 found it, seed 20261210).
 */
const status = (min: number) => fc.integer({ min, max: 599 }).filter((s) => s !== 421);

describe('properties: server replies (through the client)', () => {
  it(
    'a token endpoint reply of any shape: an RcError or a good token, bounded, and a good stored token is never replaced by a bad one',
    async () => {
      const server = await mockServer();
      const rc = client(server, { retry: 0, tokenTimeoutMs: 2000 });
      const good: TokenSet = normalizeTokenInput(server.issueToken(), Date.now());
      await fc.assert(
        fc.asyncProperty(fc.oneof(tokenReply, anything), status(200), async (body, status) => {
          await rc.setToken(good);
          let text: string;
          try {
            text = JSON.stringify(body) ?? 'null';
          } catch {
            text = 'null';
          }
          server.failNext({ path: '/restapi/oauth/token', status, body: text });
          const outcome = await Promise.race([
            rc.refresh().then(
              (t) => ({ ok: true as const, t }),
              (e: unknown) => ({ ok: false as const, e }),
            ),
            new Promise<never>((_, r) => setTimeout(() => r(new Error('hung')), 5000)),
          ]);
          server.clearFailNext();
          const stored = await rc.getToken();
          if (outcome.ok) expect(checkTokenSet(stored).ok).toBe(true);
          else {
            expect(isRcError(outcome.e)).toBe(true);
            expect(stored).toEqual(good);
          }
        }),
        { ...params, numRuns: Math.max(10, Math.floor(RUNS / 3)) },
      );
    },
    LONG,
  );

  it(
    'an API error body of any shape becomes an ApiError',
    async () => {
      const server = await mockServer();
      const rc = client(server, { retry: 0 });
      await rc.setToken(server.issueToken());
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.json()), status(400), async (body, status) => {
          if (status === 401) return;
          server.failNext({ path: EXT, status, body });
          const error = await rc.get(EXT).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isRcError(error)).toBe(true);
        }),
        { ...params, numRuns: Math.max(10, Math.floor(RUNS / 3)) },
      );
    },
    LONG,
  );
});
