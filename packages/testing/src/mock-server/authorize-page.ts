/**
 * The HTML of the authorize endpoint: a plain login form, and an error page for requests that
 * cannot be redirected. Kept deliberately simple and stable, because browser tests drive it by
 * its field names: `username`, `password`, and `action` = `allow` | `deny`.
 */
import { html, type Reply } from './http.js';

/** The authorize parameters carried through the form in hidden inputs (RingCentral's names). */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'display',
  'prompt',
  'brand_id',
  'ui_locales',
  'login_hint',
  'code_challenge',
  'code_challenge_method',
] as const;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The page loads nothing, runs no script, and may not be framed (a framed login page invites
// clickjacking, RFC 6749 §10.13). No `form-action` directive: browsers apply it to the redirect after
// the POST too, which would block the hop back to the app's redirect URI.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f6f8; margin: 0; }
  main { max-width: 360px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  label { display: block; margin: .75rem 0 .25rem; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
  .error { color: #b00020; }
  .actions { display: flex; gap: .5rem; margin-top: 1.25rem; }
  button { flex: 1; padding: .6rem; }`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>
`;
}

export interface LoginPageInput {
  /** The authorize parameters, carried in hidden inputs. */
  params: Record<string, string>;
  /** The app's name or id, shown to the user. */
  clientId: string;
  /** Prefilled username: the last attempt's, else `login_hint`. */
  username?: string;
  /** Shown above the form after a failed attempt. */
  error?: string;
}

export function loginPage(status: number, input: LoginPageInput): Reply {
  const hidden = AUTHORIZE_PARAMS.filter((name) => input.params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(input.params[name] ?? '')}">`)
    .join('\n');
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>\n` : '';
  const content = `<h1>Sign in to RingCentral (mock)</h1>
<p><strong>${escapeHtml(input.clientId)}</strong> wants to access your account.</p>
${error}<form method="post" action="/restapi/oauth/authorize">
${hidden}
<label for="username">Phone number or email</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="actions">
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny">Deny</button>
</div>
</form>`;
  return html(status, page('Sign in', content), PAGE_HEADERS);
}

/** An error that must not be redirected (unknown client, bad redirect URI): shown to the user instead. */
export function errorPage(status: number, message: string): Reply {
  const content = `<h1>Authorization failed</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`;
  return html(status, page('Authorization failed', content), PAGE_HEADERS);
}
