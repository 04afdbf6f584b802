import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookieSession } from '../src/session.js';

const KEY = new Uint8Array(32).fill(7);

/** Runs save/clear against a fake response and returns the Set-Cookie line. */
function setCookie(write: (res: ServerResponse) => void): string {
  let line = '';
  const res = {
    setHeader: (_: string, value: string) => {
      line = value;
    },
  };
  write(res as unknown as ServerResponse);
  return line;
}

const request = (cookie: string | undefined) => ({ headers: { cookie } }) as IncomingMessage;
const cookiePair = (line: string) => line.slice(0, line.indexOf(';'));

describe('cookieSession', () => {
  const data = { pending: { state: 'st', codeVerifier: 'v'.repeat(43) } };

  it('reads back what it saved, with HttpOnly, SameSite=Lax and Max-Age', () => {
    const sessions = cookieSession({ secure: false, secret: KEY });
    const line = setCookie((res) => sessions.save(res, data, 600));
    expect(line).toMatch(/^rc-session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(sessions.read(request(`other=1; ${cookiePair(line)}`))).toEqual(data);
  });

  it('seals the data: the cookie shows neither the verifier nor the state', () => {
    const sessions = cookieSession({ secure: false, secret: KEY });
    const value = cookiePair(setCookie((res) => sessions.save(res, data, 600))).slice('rc-session='.length);
    for (const text of [
      value,
      ...value.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')),
    ]) {
      expect(text).not.toContain(data.pending.codeVerifier);
      expect(text).not.toContain('pending');
    }
    // A fresh IV each time: the same data never gives the same cookie.
    expect(setCookie((res) => sessions.save(res, data, 600))).not.toBe(
      setCookie((res) => sessions.save(res, data, 600)),
    );
  });

  it('over https: Secure, and the __Host- prefix', () => {
    const sessions = cookieSession({ secure: true, secret: KEY });
    const line = setCookie((res) => sessions.save(res, { userKey: 'u' }, 60));
    expect(line).toMatch(/^__Host-rc-session=.*; Secure; Max-Age=60$/);
    expect(sessions.read(request(cookiePair(line)))).toEqual({ userKey: 'u' });
  });

  it('refuses a changed payload, a changed signature, another key and an expired cookie', () => {
    let now = 1_000_000;
    const sessions = cookieSession({ secure: false, secret: KEY, now: () => now });
    const value = cookiePair(setCookie((res) => sessions.save(res, { userKey: 'alice' }, 60)));
    const [payload, signature] = value.slice('rc-session='.length).split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('alice', 'mallory'),
    ).toString('base64url');
    expect(sessions.read(request(`rc-session=${forged}.${signature}`))).toEqual({});
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    expect(sessions.read(request(`rc-session=${payload}.${flipped}`))).toEqual({});
    expect(cookieSession({ secure: false }).read(request(value))).toEqual({});
    expect(sessions.read(request(value))).toEqual({ userKey: 'alice' });
    now += 61_000;
    expect(sessions.read(request(value))).toEqual({});
  });

  it('clears the cookie, and reads garbage as no session', () => {
    const sessions = cookieSession({ secure: false, secret: KEY });
    expect(setCookie((res) => sessions.clear(res))).toMatch(/^rc-session=; .*Max-Age=0$/);
    for (const cookie of [undefined, '', 'rc-session', 'rc-session=x.y', 'rc-session=.']) {
      expect(sessions.read(request(cookie))).toEqual({});
    }
  });

  it('refuses a short signing key', () => {
    expect(() => cookieSession({ secure: false, secret: new Uint8Array(16) })).toThrow(/32 bytes/);
  });
});
