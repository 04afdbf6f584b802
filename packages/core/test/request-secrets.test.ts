import { inspect } from 'node:util';
import { ApiError } from '@rc/core';
import { requestSecrets } from '@rc/core/kit';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

// requestSecrets(): a secret a request sends in its body (a webhook's verification token) is
// scrubbed by value from the error of a reply that quotes it, raw or URL-encoded; the rest of the
// call's context still reaches the hooks; a request that names none is untouched.

const SECRET = 'sent-in-the-body/+=7c1e';
const PATH = '/restapi/v1.0/subscription';

const quoting = {
  errorCode: 'CMN-101',
  message: `value [${SECRET}] is invalid`,
  errors: [{ errorCode: 'CMN-101', message: encodeURIComponent(SECRET), parameterValue: SECRET }],
};

describe('requestSecrets()', () => {
  it('scrubs the named secrets from the ApiError of the request that carried them', async () => {
    const server = await mockServer();
    const seen: unknown[] = [];
    const rc = await loggedIn(server, {
      hooks: {
        beforeError: [
          ({ error, options }) => {
            seen.push(options.context.trace);
            return error;
          },
        ],
      },
    });
    server.override('POST', PATH, { status: 400, body: quoting });
    const error = await rc
      .post(PATH, { json: { token: SECRET }, context: requestSecrets([SECRET, undefined], { trace: 't-1' }) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.errorCode).toBe('CMN-101');
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10 })]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    expect(seen).toEqual(['t-1']);
  });

  it('a context naming secrets keeps them when more are named (requestSecrets nested)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const other = 'another-secret-of-the-call-5d2a';
    server.override('POST', PATH, { status: 400, body: { ...quoting, message: `${SECRET} ${other}` } });
    const error = (await rc
      .post(PATH, { json: {}, context: requestSecrets([other], requestSecrets([SECRET])) })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(other);
  });

  it('a request that names no secret keeps the reply’s words (the scrubbing is per request)', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    server.override('POST', PATH, { status: 400, body: quoting });
    const error = (await rc.post(PATH, { json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toContain(SECRET);
  });
});
