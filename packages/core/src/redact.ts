// The one scrubber. Every text that may hold a secret goes through scrub() before it becomes part of
// an error (message, fields, cause), a log line, toJSON or util.inspect output. Defence in depth:
// errors are built from fields we choose (never from request objects or headers), and any free
// text that came from elsewhere (a server's error body, a driver's message) is scrubbed of:
// - the secrets we know (password, client secret, refresh token, code, ...), in every rendering a
//   server or proxy could echo: raw, URL-encoded (encodeURIComponent, any case), form-encoded (`+`
//   for a space, as in the request body we sent), encoded twice, as HTML character references,
//   as hex, and the Basic credentials built from them;
// - anything that looks like a credential whatever its value: `Bearer …`, `Basic …`, a
//   `name=value` of a secret parameter, credentials in a URL, and long opaque runs of token
//   characters (RingCentral tokens, JWT segments) — 40 or more, so UUIDs and ids survive.

/** Query and form parameters whose values are secrets wherever they appear. */
export const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'token',
  'code',
  'code_verifier',
  'password',
  'client_secret',
  'assertion',
  'client_assertion',
  'jwt',
  'state',
  // RingCentral's WebSocket gateway: the connect URL's token and the session-recovery token.
  'ws_access_token',
  'wsc',
]);

const REDACTED = '[redacted]';
const CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_CREDENTIALS = /\/\/[^/@\s]*@/g;
const OPAQUE_RUN = /[A-Za-z0-9+/=_-]{40,}/g;
// Not `\b`: `_` is a word character, so `\baccess_token=` would miss `ws_access_token=`; any name
// not preceded by a letter or digit counts (`x_access_token=` is redacted too, by design).
const SECRET_PAIR = new RegExp(`(?<![A-Za-z0-9])(${[...SECRET_PARAMS].join('|')})=[^&\\s"',;]+`, 'gi');

/** The URL with the values of secret-looking query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
    }
    return parsed.toString();
  } catch {
    return url.slice(0, q);
  }
}

const asciiBase64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** `Authorization: Basic` credentials for a client id and secret (as the OAuth endpoint sends them). */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return asciiBase64(`${clientId}:${clientSecret}`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A hex digit in either case (percent escapes, character references and hex dumps ignore case). */
const hexDigits = (hex: string) => hex.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);

const NAMED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Every way one character of a secret can come back, mixed freely within one echo: as itself,
 * percent-encoded once or twice (URL and form encoding, a proxy encoding again), `+` for a space
 * (form encoding, and `%2B` once more), or as an HTML character reference (an error page).
 */
function charPattern(c: string): string {
  const bytes = [...new TextEncoder().encode(c)].map((b) => hexDigits(b.toString(16).padStart(2, '0')));
  const cp = c.codePointAt(0) ?? 0;
  const alts = [
    escapeRegExp(c),
    bytes.map((h) => `%${h}`).join(''),
    bytes.map((h) => `%25${h}`).join(''),
    `&#0*${cp};`,
    `&#[xX]0*${hexDigits(cp.toString(16))};`,
  ];
  if (NAMED[c]) alts.push(NAMED[c]);
  if (c === ' ') alts.push('\\+', '%2[bB]');
  return `(?:${alts.join('|')})`;
}

/**
 * One pattern for every rendering of `secret` a server or proxy could quote back: each character in
 * any of its forms (above), the secret's base64 (Basic credentials) and its bytes in hex.
 */
function secretPattern(secret: string): string {
  const forms = [[...secret].map(charPattern).join('')];
  const bytes = new TextEncoder().encode(secret);
  forms.push(hexDigits([...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')));
  try {
    forms.push(escapeRegExp(asciiBase64(secret)));
  } catch {
    // not encodable: only the other forms apply
  }
  return forms.join('|');
}

/** The known secrets as one pattern (longest first), or undefined when none is long enough to matter. */
function secretsPattern(secrets: Iterable<string | undefined>): RegExp | undefined {
  const long = [...new Set(secrets)].filter((s): s is string => typeof s === 'string' && s.length >= 6);
  if (long.length === 0) return undefined;
  long.sort((a, b) => b.length - a.length);
  return new RegExp(long.map(secretPattern).join('|'), 'g');
}

/**
 * Scrubs `text`: every known secret in each of its renderings, then anything credential-shaped.
 * Values shorter than 6 characters are left alone (they would redact ordinary words; real secrets
 * are long).
 */
export function scrub(text: string, secrets: Iterable<string | undefined> = []): string {
  return scrubWith(text, secretsPattern(secrets));
}

function scrubWith(text: string, known: RegExp | undefined): string {
  const out = known ? text.replace(known, REDACTED) : text;
  return opaqueRuns(
    out
      .replace(CREDENTIAL, (_, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(SECRET_PAIR, (_, name: string) => `${name}=${REDACTED}`)
      .replace(URL_CREDENTIALS, '//***@'),
  );
}

// A URL or an absolute path (`/restapi/v1.0/…`) quoted in a text: a word starting with a scheme
// and `//`, or with `/name/`. A path of ids (`…/message-store/8000000001/content/800000000101`) is
// one long run of the characters tokens are made of; taken as one it would be redacted like a
// token, and errors and log lines would lose the path they are about. So inside such a word a
// long run is still found whole (a base64 token holds `/` and `=`: cut there first, its pieces
// would each be short enough to pass), and then only its parts that look like ids or path words
// are kept; every other part of the run is redacted.
const URL_WORD =
  /(?<![^\s"'(<[{,;:=])(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|\/[A-Za-z][A-Za-z0-9._~-]{0,31}\/)[^\s"'<>]*/g;
const RUN_PART = /[^/=]+/g;
/** A number, `~`, a lowercase word or words joined by `-` (`message-store`), `v1`, a UUID. */
const ID_PART =
  /^(?:\d{1,20}|~|[a-z]{1,31}(?:-[a-z]{1,31})*|[a-z]{1,3}\d{1,3}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$/;

/** Long opaque runs redacted: in URLs and paths all but their id-like parts, elsewhere whole. */
function opaqueRuns(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_WORD)) {
    out += text.slice(last, m.index).replace(OPAQUE_RUN, REDACTED);
    out += m[0].replace(OPAQUE_RUN, (run) =>
      run.replace(RUN_PART, (part) => (ID_PART.test(part) ? part : REDACTED)),
    );
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(OPAQUE_RUN, REDACTED);
}

/**
 * A URL as errors and log lines show it: secret query values replaced (see {@link redactUrl}),
 * then scrubbed of `secrets` and of anything credential-shaped; a path of ids stays readable.
 */
export function scrubUrl(url: string, secrets: Iterable<string | undefined> = []): string {
  return scrub(redactUrl(url), secrets);
}

/**
 * A deep copy of a JSON-like value with every string scrubbed (an error body's `errors[]`, say).
 * Bounded: deeper than 5 levels or more than 100 entries per level is cut.
 */
export function scrubValue(value: unknown, secrets: ReadonlyArray<string | undefined> = []): unknown {
  return scrubDeep(value, secretsPattern(secrets), 0);
}

function scrubDeep(value: unknown, known: RegExp | undefined, depth: number): unknown {
  if (typeof value === 'string') return scrubWith(value, known);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 5) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubDeep(v, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 100)) out[k] = scrubDeep(v, known, depth + 1);
  return out;
}
