// The logger (issue 18, a new user's trial): it redacted ordinary content URLs (a path of ids
// became `…/restapi/v1.[redacted]`, a long run of path characters taken for a token) and printed
// two lines for one failed request (`← 404`, then `✗ 404`). Secrets are redacted, not ids; one
// line per answer (a failed request's answer is its `←` line; `✗` is for no answer at all).
import { type LogEntry, logger } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { EXT, loggedIn, mockServer } from './fixtures.js';

const CONTENT =
  '/restapi/v1.0/account/37439510/extension/37439510/message-store/8000000001/content/800000000101';

async function logged(options: Parameters<typeof loggedIn>[1] = {}) {
  const server = await mockServer();
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const rc = await loggedIn(server, {
    retry: 0,
    ...options,
    plugins: [
      logger({
        log: (line, entry) => {
          lines.push(line);
          entries.push(entry);
        },
      }),
    ],
  });
  lines.length = 0;
  entries.length = 0;
  return { server, rc, lines, entries };
}

describe('logger: ids stay, secrets go', () => {
  it('a content URL made of ids is logged as it is', async () => {
    const { server, rc, lines, entries } = await logged();
    await rc.get(CONTENT).catch(() => undefined);
    expect(lines[0]).toBe(`→ GET ${server.url}${CONTENT}`);
    expect(entries.every((e) => e.url === `${server.url}${CONTENT}`)).toBe(true);
  });

  it('a token-like segment, a secret query value and a long opaque query value are still redacted', async () => {
    const { server, rc, lines } = await logged();
    const token = 'U0pDMTFQMDFQQVMwMHxBQUJfTUpHSHlKdlJRaGdRZUNhZXpFc2ZJMnFrVGFBRHNvZjBwMXZCYw';
    await rc
      .get(`restapi/v1.0/x/${token}/y`, { searchParams: { access_token: 'abcdef123', q: token } })
      .catch(() => undefined);
    expect(lines[0]).toBe(
      `→ GET ${server.url}/restapi/v1.0/x/[redacted]/y?access_token=[redacted]&q=[redacted]`,
    );
  });
});

describe('logger: one line per answer', () => {
  it('a failed request (404, not retried): one line, with status, duration and request id', async () => {
    const { rc, lines, entries } = await logged();
    await rc.get(CONTENT).catch(() => undefined);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^← 404 GET \S+ \d+ ms RCRequestId=\S+$/);
    expect(entries.map((e) => e.type)).toEqual(['request', 'response']);
    expect(entries[1]).toMatchObject({
      status: 404,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
  });

  it('a request that ends without an answer: one ✗ line naming the error, not its message', async () => {
    const { server, rc, lines, entries } = await logged({ timeout: 100 });
    server.failNext({ path: EXT, status: 200, delayMs: 1000 });
    await rc.get(EXT, { searchParams: { access_token: 'SECRET-in-query-4471' } }).catch(() => undefined);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^✗ GET \S+ TimeoutError$/);
    expect(lines.join('\n')).not.toContain('SECRET-in-query-4471');
    expect(entries[1]).toMatchObject({ type: 'error', error: 'TimeoutError' });
  });

  it('a 503 then a 200: the failed attempt, the retry, the answer', async () => {
    const { server, rc, lines } = await logged({ retry: { limit: 1, backoffLimit: 10 } });
    server.failNext({ path: EXT, status: 503 });
    await rc.get(EXT).json();
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '→ GET',
      '← 503',
      '→ GET',
      '← 200',
    ]);
    expect(lines[2]).toMatch(/\(retry 1\)$/);
  });

  it('a 503 twice (retry limit 1): four lines, one per attempt and answer', async () => {
    const { server, rc, lines } = await logged({ retry: { limit: 1, backoffLimit: 10 } });
    server.failNext({ path: EXT, status: 503, times: 2 });
    await rc.get(EXT).catch(() => undefined);
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '→ GET',
      '← 503',
      '→ GET',
      '← 503',
    ]);
  });

  it('a refused token request (the endpoint reads error replies itself): one line', async () => {
    const { server, rc, lines } = await logged();
    server.failNext({ path: '/restapi/oauth/token', status: 400, body: { error: 'invalid_grant' } });
    await rc.refresh().catch(() => undefined);
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['→ POST', '← 400']);
  });
});
