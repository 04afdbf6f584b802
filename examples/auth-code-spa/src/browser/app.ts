// The browser side, bundled by esbuild with @rc/core and @rc/auth-code into /app.js. A public
// client: no secret, PKCE. The pending login (state and verifier) waits in sessionStorage while
// the tab is away at RingCentral; the token lives in this tab's memory only (the client's default
// store), out of reach of other tabs and of storage-reading scripts.
import { authCodeGrant, authorizeUrl, parseCallback } from '@rc/auth-code';
import { createClient, ErrorCodes, isRcError, OAuthError } from '@rc/core';
import type { BrowserConfig } from '../page.js';

interface Pending {
  state: string;
  codeVerifier: string;
}

const PENDING_KEY = 'rc-pending-login';

const config = JSON.parse(document.getElementById('rc-config')?.textContent ?? '{}') as BrowserConfig;
const rc = createClient({
  server: config.server,
  clientId: config.clientId,
  redirectUri: config.redirectUri,
});

const element = (id: string) => document.getElementById(id) as HTMLElement;

function show(section: 'loading' | 'signed-out' | 'signed-in' | 'error'): void {
  for (const id of ['loading', 'signed-out', 'signed-in', 'error']) element(id).hidden = id !== section;
}

function showError(title: string, message: string, detail: string): void {
  element('error-title').textContent = title;
  element('error-message').textContent = message;
  element('error-detail').textContent = detail;
  show('error');
}

async function signIn(): Promise<void> {
  const { url, state, codeVerifier } = await authorizeUrl(rc);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, codeVerifier }));
  location.assign(url);
}

async function showProfile(): Promise<void> {
  const me = await rc
    .get('/restapi/v1.0/account/~/extension/~')
    .json<{ name: string; extensionNumber?: string }>();
  element('name').textContent = me.name;
  element('extension').textContent = me.extensionNumber ?? '—';
  show('signed-in');
}

/** Finishes a login when RingCentral sent the browser back here; `false` when this is no callback. */
async function finishLogin(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error') && !params.has('state')) return false;
  // The pending login is used once, and the code leaves the address bar and the history.
  const saved = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', '/');
  const pending = saved ? (JSON.parse(saved) as Pending) : undefined;
  if (!pending) {
    showError(
      'No sign-in in progress',
      'This tab has no sign-in waiting for an answer. Please sign in again.',
      '',
    );
    return true;
  }
  const { code } = parseCallback(params, { state: pending.state });
  await rc.authorize(authCodeGrant({ code, codeVerifier: pending.codeVerifier }));
  await showProfile();
  return true;
}

function explain(error: unknown): void {
  if (error instanceof OAuthError && error.code === ErrorCodes.STATE_MISMATCH) {
    showError(
      'Sign-in refused',
      'This sign-in response does not match the sign-in you started, so it was ignored. Please sign in again.',
      error.code,
    );
  } else if (error instanceof OAuthError && error.error === 'access_denied') {
    showError('Sign-in cancelled', 'You declined to give this app access to your account.', error.error);
  } else {
    // RcError messages never hold a token, code or verifier.
    const detail = isRcError(error) ? `${error.code}: ${error.message}` : String(error);
    showError('Something went wrong', 'The sign-in or the API call failed. Please try again.', detail);
  }
}

element('sign-in').addEventListener('click', () => void signIn().catch(explain));
element('sign-out').addEventListener('click', () => {
  void rc
    .revoke()
    .then(() => show('signed-out'))
    .catch(explain);
});

finishLogin()
  .then((handled) => {
    if (!handled) show('signed-out');
  })
  .catch(explain);
