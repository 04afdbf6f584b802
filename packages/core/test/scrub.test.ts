// Issue 10 item 2: secrets a server echoes back are scrubbed in every rendering and every form
// (raw, URL-encoded, form-encoded, Basic base64, anything bearer-looking). Failed before the fix:
// the echoed form leaked the password form-encoded and the secret as Basic credentials, the
// OAuth `error` field and ApiError's message and errors[] were copied as sent.
import { inspect } from 'node:util';
import { passwordGrant } from '@rc/auth-password';
import { ApiError, createClient, logger, OAuthError, redactUrl } from '@rc/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrub } from '../src/redact.js';
import { EXT, mockServer } from './fixtures.js';

const CLIENT_ID = 'scrub-client';
const CLIENT_SECRET = 'S3cret/client+value=';
const PASSWORD = 'p@ss w0rd&more!';

/** Every way an error can show itself. */
const renderings = (e: unknown): string[] => {
  const err = e as Error;
  return [String(err), err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10 }), inspect(err.cause)];
};

/** Every form of a secret that could be quoted back. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)].filter(
    (f) => f.length >= 6,
  );
}

async function setup() {
  const server = await mockServer({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    users: [{ id: '101', username: '+16505550100', password: PASSWORD, name: 'Mock User' }],
  });
  const lines: string[] = [];
  const rc = createClient({
    server: server.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    retry: 0,
    plugins: [logger({ log: (line, entry) => lines.push(line, JSON.stringify(entry)) })],
  });
  return { server, rc, lines };
}

const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

function expectClean(texts: string[], secrets: string[]) {
  for (const text of texts) {
    for (const secret of secrets) for (const form of forms(secret)) expect(text).not.toContain(form);
  }
}

describe('scrubbing echoed secrets', () => {
  it('the WebSocket gateway’s secrets (ws_access_token, wsc) and JWT assertions are redacted by name', () => {
    const text =
      'GET wss://gw.example/ws?ws_access_token=wsAT123&wsc=wscTok456 jwt=eyJ0 client_assertion=ca789';
    const out = scrub(text, []);
    for (const secret of ['wsAT123', 'wscTok456', 'eyJ0', 'ca789']) expect(out).not.toContain(secret);
    const url = redactUrl('wss://gw.example/ws?access_token=AT1234&wsc=wscTok456&x=1');
    expect(url).not.toMatch(/AT1234|wscTok456/);
    expect(url).toContain('x=1');
  });

  it('a token endpoint that echoes the form and the Authorization header leaks nothing', async () => {
    const { server, rc, lines } = await setup();
    server.failNext({ path: '/restapi/oauth/token', status: 400, echo: true });
    const error = await rc
      .authorize(passwordGrant({ username: '+16505550100', password: PASSWORD }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    // The echo arrived (the test would prove nothing otherwise) and was scrubbed.
    expect((error as OAuthError).errorDescription).toMatch(/grant_type=password/);
    expectClean([...renderings(error), ...lines], [PASSWORD, CLIENT_SECRET, basic]);
  });

  it('the OAuth `error` field and errorCode are scrubbed too', async () => {
    const { server, rc } = await setup();
    server.failNext({
      path: '/restapi/oauth/token',
      status: 400,
      body: { error: `bad ${PASSWORD}`, errors: [{ errorCode: encodeURIComponent(PASSWORD) }] },
    });
    const error = await rc
      .authorize(passwordGrant({ username: '+16505550100', password: PASSWORD }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expectClean(renderings(error), [PASSWORD]);
  });

  it('an API error that echoes the bearer token carries no token in message, errors[] or any rendering', async () => {
    const { server, rc, lines } = await setup();
    const raw = server.issueToken({ clientId: CLIENT_ID });
    await rc.setToken(raw);
    server.failNext({ path: EXT, status: 400, echo: true });
    const error = await rc.get(EXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/Bearer \[redacted\]/);
    expectClean(
      [...renderings(error), JSON.stringify((error as ApiError).errors), ...lines],
      [raw.access_token],
    );
  });

  it('a token quoted without "Bearer" (long opaque run) is scrubbed from ApiError fields', async () => {
    const { server, rc } = await setup();
    const raw = server.issueToken({ clientId: CLIENT_ID });
    await rc.setToken(raw);
    server.failNext({
      path: EXT,
      status: 400,
      body: {
        errorCode: 'CMN-101',
        message: `token ${raw.access_token} bad`,
        errors: [{ message: raw.access_token, nested: { v: raw.refresh_token } }],
      },
    });
    const error = await rc.get(EXT).catch((e: unknown) => e);
    expectClean(
      [...renderings(error), JSON.stringify((error as ApiError).errors)],
      [raw.access_token, raw.refresh_token],
    );
    // Ordinary ids survive (a request id, a UUID).
    expect((error as ApiError).errorCode).toBe('CMN-101');
  });
});

// Issue 18 item 11: echoes of a known secret in hex, double URL-encoding and HTML entities survived
// (only raw, URL-encoded, form-encoded and base64 forms were known).
describe('scrubbing echoed secrets in further encodings', () => {
  const hex = (s: string) => Buffer.from(s).toString('hex');
  const entities = (s: string, radix: 10 | 16) =>
    [...s]
      .map((c) => (radix === 10 ? `&#${c.codePointAt(0)};` : `&#x${c.codePointAt(0)!.toString(16)};`))
      .join('');
  const htmlEscape = (s: string) =>
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  const further = (s: string): [string, string][] => [
    ['hex', hex(s)],
    ['HEX', hex(s).toUpperCase()],
    ['double URL-encoding', encodeURIComponent(encodeURIComponent(s))],
    ['URL-encoded form encoding', encodeURIComponent(new URLSearchParams({ s }).toString().slice(2))],
    ['lower-case percent escapes', encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['HTML escaping', htmlEscape(s)],
    ['decimal entities', entities(s, 10)],
    ['hex entities', entities(s, 16)],
  ];
  const secrets = [PASSWORD, CLIENT_SECRET, `it's <"quoted"> & sü€ß`, 'plain-token-value-123'];

  for (const secret of secrets) {
    it.each(further(secret))(`${JSON.stringify(secret)} as %s`, (_, form) => {
      const out = scrub(`the server said: ${form}; try again`, [secret]);
      expect(out).not.toContain(form);
      expect(out).toBe('the server said: [redacted]; try again');
    });
  }

  it('through the client: an OAuth error description quoting the password in these forms holds none of them', async () => {
    const { server, rc, lines } = await setup();
    for (const [, form] of further(PASSWORD)) {
      server.failNext({
        path: '/restapi/oauth/token',
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: `bad password ${form}`,
          errors: [{ message: form }],
        },
      });
      const error = await rc
        .authorize(passwordGrant({ username: '+16505550100', password: PASSWORD }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      for (const text of renderings(error)) expect(text).not.toContain(form);
    }
    for (const line of lines) for (const [, form] of further(PASSWORD)) expect(line).not.toContain(form);
  });
});

describe('paths and URLs in a text: ids stay, token-like parts go', () => {
  const IDS =
    '/restapi/v1.0/account/37439510/extension/37439510/message-store/8000000001/content/800000000101';
  const TOKEN = 'U0pDMTFQMDFQQVMwMHxBQUJfTUpHSHlKdlJRaGdRZUNhZXpFc2ZJMnFrVGFBRHNvZjBwMXZCYw';

  it.each([
    [`PUT ${IDS} failed`],
    [`see https://platform.ringcentral.com${IDS}?view=Simple`],
    [`Resource "${IDS}" not found`],
    [`(${IDS})`],
    [`uri=${IDS}`],
  ])('keeps a path of ids: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });

  it.each([
    [`GET /restapi/v1.0/x/${TOKEN}/y`, 'GET /restapi/v1.0/x/[redacted]/y'],
    [`https://h.example/a/b?q=${TOKEN}&n=1`, 'https://h.example/a/b?q=[redacted]&n=1'],
    [`/restapi/v1.0/a?access_token=short1`, '/restapi/v1.0/a?access_token=[redacted]'],
    [`token ${TOKEN} then ${IDS}`, `token [redacted] then ${IDS}`],
    [`/abcdef${TOKEN}`, '[redacted]'],
  ])('still redacts: %s', (text, expected) => {
    expect(scrub(text)).toBe(expected);
  });
});

describe('a base64 token in a URL or path, unknown to the client', () => {
  // Standard base64 holds `/`, `+` and `=`: a URL's segments must not cut a token into pieces short
  // enough to pass (a review found 63 % of random tokens in a path keeping ~38 characters).
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('');
  const token = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...B64), minLength: 60, maxLength: 140 }),
      fc.constantFrom('', '=', '=='),
    )
    .map(([body, pad]) => body + pad);
  const places = [
    (t: string) => `GET /restapi/v1.0/account/~/${t} failed`,
    (t: string) => `https://h.example/a/b?refreshToken=${t}&n=1`,
    (t: string) => `https://h.example/a/b#${t}`,
    (t: string) => `https://user:${t}@h.example/x`,
    (t: string) => `https://a.example/x,${t}`,
    (t: string) => `{uri:/restapi/v1.0/x,accessToken:${t}}`,
    (t: string) => `location=/restapi/oauth/${t}`,
    (t: string) => `value /${t} end`,
    (t: string) => `Authorization: Bearer%20${t}`,
  ];

  it('keeps no piece of it that carries its entropy, wherever it is quoted', () => {
    fc.assert(
      fc.property(token, fc.constantFrom(...places), (t, place) => {
        const out = scrub(place(t));
        // Every piece between the characters a URL is cut at, 8 characters or more, that is not a
        // plain lowercase word (which the scrubber keeps as a path word, and which tells little).
        for (const piece of t.split(/[/=?&#]/)) {
          if (piece.length >= 8 && !/^[a-z]+$/.test(piece)) expect(out).not.toContain(piece);
        }
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });
});
