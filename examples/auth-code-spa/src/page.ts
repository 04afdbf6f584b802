// The single HTML page of the SPA. The server only fills in the public configuration (server,
// client id, redirect URI: none of it secret); everything else happens in the bundled script.

/** What the browser script needs to know. A browser app has no client secret. */
export interface BrowserConfig {
  server: string;
  clientId: string;
  redirectUri: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a `<script type="application/json">` block: no `<` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1d2329; margin: 0; }
  header { background: #0073ae; color: #fff; padding: .9rem 1.5rem; font-weight: 600; }
  main { max-width: 460px; margin: 8vh auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  p { line-height: 1.5; }
  a { color: #0073ae; }
  button { background: #ff8800; color: #fff; border: 0; border-radius: 4px; padding: .65rem 1.2rem;
           font: inherit; font-weight: 600; cursor: pointer; }
  #error h1 { color: #b00020; }
  .detail { color: #5f6b76; font-size: .9rem; }
  footer { color: #5f6b76; font-size: .8rem; text-align: center; }`;

/** The Content-Security-Policy of the page: its own script, and API calls to the server only. */
export function contentSecurityPolicy(config: BrowserConfig): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `connect-src ${new URL(config.server).origin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function appPage(config: BrowserConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RingCentral sign-in example (browser)</title>
<style>${STYLE}</style>
<script id="rc-config" type="application/json">${scriptJson(config)}</script>
<script type="module" src="/app.js"></script>
</head>
<body>
<header>RingCentral sign-in example · browser app</header>
<main>
<section id="loading"><p>Loading…</p></section>
<section id="signed-out" hidden>
<h1>Welcome</h1>
<p>This page signs you in with your RingCentral account entirely in the browser: authorization code
with PKCE, no client secret. The token stays in this tab's memory.</p>
<p><button type="button" id="sign-in">Sign in with RingCentral</button></p>
</section>
<section id="signed-in" hidden>
<h1>Signed in as <span id="name"></span></h1>
<p>From <code>GET /restapi/v1.0/account/~/extension/~</code>, called by this page.</p>
<p>Extension <span id="extension"></span></p>
<p><button type="button" id="sign-out">Sign out</button></p>
</section>
<section id="error" hidden>
<h1 id="error-title"></h1>
<p role="alert" id="error-message"></p>
<p class="detail">Reason: <code id="error-detail"></code></p>
<p><a href="/">Back to the start page</a></p>
</section>
</main>
<footer>Signs in at ${escapeHtml(config.server)}</footer>
</body>
</html>
`;
}
