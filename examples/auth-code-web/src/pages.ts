// The app's HTML: plain server-rendered pages, no script. Every value is escaped; no page ever
// holds a token, a code, a state or a verifier.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1d2329; margin: 0; }
  header { background: #0073ae; color: #fff; padding: .9rem 1.5rem; font-weight: 600; }
  main { max-width: 460px; margin: 8vh auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  p { line-height: 1.5; }
  a { color: #0073ae; }
  .button, button { display: inline-block; background: #ff8800; color: #fff; border: 0; border-radius: 4px;
         padding: .65rem 1.2rem; font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
  .error h1 { color: #b00020; }
  .detail { color: #5f6b76; font-size: .9rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; margin: 1.25rem 0; }
  dt { color: #5f6b76; }
  dd { margin: 0; }
  footer { color: #5f6b76; font-size: .8rem; text-align: center; }`;

export interface PageInfo {
  /** Shown in the footer: where the app signs in (not a secret). */
  server: string;
}

function layout(title: string, content: string, info: PageInfo, mainClass = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · RingCentral sign-in example</title>
<style>${STYLE}</style>
</head>
<body>
<header>RingCentral sign-in example</header>
<main${mainClass ? ` class="${mainClass}"` : ''}>
${content}
</main>
<footer>Signs in at ${escapeHtml(info.server)}</footer>
</body>
</html>
`;
}

export function homePage(info: PageInfo): string {
  return layout(
    'Welcome',
    `<h1>Welcome</h1>
<p>This app signs you in with your RingCentral account (OAuth authorization code with PKCE) and
shows who you are. It never sees your password.</p>
<p><a class="button" href="/login">Sign in with RingCentral</a></p>`,
    info,
  );
}

export interface Profile {
  name: string;
  extensionNumber?: string | undefined;
  email?: string | undefined;
}

export function mePage(profile: Profile, info: PageInfo): string {
  const rows: [string, string | undefined][] = [
    ['Name', profile.name],
    ['Extension', profile.extensionNumber],
    ['Email', profile.email],
  ];
  const list = rows
    .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('\n');
  return layout(
    'Signed in',
    `<h1>Signed in as <span id="name">${escapeHtml(profile.name)}</span></h1>
<p>From <code>GET /restapi/v1.0/account/~/extension/~</code>, called with your own token:</p>
<dl>
${list}
</dl>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`,
    info,
  );
}

export interface ErrorInfo {
  title: string;
  message: string;
  /** A short technical reason (an OAuth error or an error code); never a secret. */
  detail?: string | undefined;
}

export function errorPage(error: ErrorInfo, info: PageInfo): string {
  const detail = error.detail
    ? `<p class="detail">Reason: <code>${escapeHtml(error.detail)}</code></p>\n`
    : '';
  return layout(
    error.title,
    `<h1>${escapeHtml(error.title)}</h1>
<p role="alert">${escapeHtml(error.message)}</p>
${detail}<p><a href="/">Back to the start page</a></p>`,
    info,
    'error',
  );
}
