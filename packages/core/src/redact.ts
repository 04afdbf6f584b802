// Helpers that keep secrets out of messages, logs and errors. Defence in depth: errors are built
// from fields we choose (never from request objects or headers), and any free text that came
// from elsewhere (a server's error_description, say) is scrubbed of the secrets we know.

/** Query parameters whose values are secrets wherever they appear. */
const SECRET_PARAMS = new Set([
  'access_token',
  'refresh_token',
  'token',
  'code',
  'code_verifier',
  'password',
  'client_secret',
  'assertion',
  'state',
]);

/** The URL with the values of secret-looking query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, '[redacted]');
    }
    return parsed.toString();
  } catch {
    return url.slice(0, q);
  }
}

/** Replaces every occurrence of each known secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets are long.
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}
