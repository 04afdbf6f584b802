// An ApiError names the request it answers: "GET /restapi/v1.0/…/content/800000000101 failed with
// HTTP 404". A path made of ids is one long run of the characters tokens are made of, and the
// message's generic scrubbing took it for one (`GET /restapi/v1.[redacted] failed…`), as the
// logger did before issue 18: secrets are redacted, not ids. A token-like segment still is.
import { inspect } from 'node:util';
import { ApiError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const CONTENT =
  '/restapi/v1.0/account/37439510/extension/37439510/message-store/8000000001/content/800000000101';
const TOKEN_LIKE = 'U0pDMTFQMDFQQVMwMHxBQUJfTUpHSHlKdlJRaGdRZUNhZXpFc2ZJMnFrVGFBRHNvZjBwMXZCYw';

async function failure(path: string, searchParams?: Record<string, string>): Promise<ApiError> {
  const server = await mockServer();
  const rc = await loggedIn(server, { retry: 0 });
  const error = await rc.get(path.slice(1), searchParams ? { searchParams } : {}).then(
    () => expect.fail('expected a 404'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('an ApiError keeps the path of ids it failed on', () => {
  it('in its message, url, JSON and inspection', async () => {
    const error = await failure(CONTENT);
    expect(error.message).toMatch(new RegExp(`^GET ${CONTENT.replaceAll('.', '\\.')} failed with HTTP 404`));
    expect(new URL(error.url ?? '').pathname).toBe(CONTENT);
    expect(JSON.stringify(error)).toContain(CONTENT);
    expect(inspect(error)).toContain(CONTENT);
    expect(error.stack).toContain(CONTENT);
  });

  it('a token-like segment and secret query values are still redacted everywhere', async () => {
    const error = await failure(`/restapi/v1.0/x/${TOKEN_LIKE}/y`, {
      access_token: 'abcdef123',
      q: TOKEN_LIKE,
    });
    for (const text of [
      error.message,
      error.url ?? '',
      JSON.stringify(error),
      inspect(error),
      error.stack ?? '',
    ]) {
      expect(text).not.toContain(TOKEN_LIKE);
      expect(text).not.toContain('abcdef123');
    }
    expect(error.message).toMatch(/^GET \/restapi\/v1\.0\/x\/\[redacted\]\/y failed with HTTP 404/);
  });
});
