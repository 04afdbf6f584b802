import { createHash } from 'node:crypto';
import { ConfigError } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { base64url } from '../src/base64url.js';
import { createPkce, pkceChallenge } from '../src/index.js';
import { BASE64URL } from './fixtures.js';

describe('pkceChallenge', () => {
  // RFC 7636 appendix B, as published (https://www.rfc-editor.org/rfc/rfc7636#appendix-B).
  const RFC_OCTETS = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
    191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
  ];
  const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('matches RFC 7636 appendix B', async () => {
    expect(base64url(new Uint8Array(RFC_OCTETS))).toBe(RFC_VERIFIER);
    await expect(pkceChallenge(RFC_VERIFIER)).resolves.toBe(RFC_CHALLENGE);
  });

  it("agrees with Node's own SHA-256 and base64url", async () => {
    const verifier = 'dBjftJeZ4CVP-mJ0kZGpR2eOh_M3J7lq7I8NF_0KqBI';
    const expected = createHash('sha256').update(verifier).digest('base64url');
    await expect(pkceChallenge(verifier)).resolves.toBe(expected);
  });

  it('accepts the shortest and longest verifiers RFC 7636 allows', async () => {
    await expect(pkceChallenge('a'.repeat(43))).resolves.toMatch(BASE64URL);
    await expect(pkceChallenge(`${'A1-._~'.repeat(21)}xy`)).resolves.toHaveLength(43);
  });

  it.each([
    ['too short', 'a'.repeat(42)],
    ['too long', 'a'.repeat(129)],
    ['a character outside the unreserved set', `${'a'.repeat(42)}+`],
    ['a space', `${'a'.repeat(42)} `],
    ['non-ASCII', `${'a'.repeat(42)}é`],
    ['empty', ''],
  ])('rejects a verifier that is %s', async (_, verifier) => {
    const error = await pkceChallenge(verifier).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option: 'codeVerifier', code: 'RC_CONFIG' });
  });
});

describe('createPkce', () => {
  it('makes a 43-character base64url verifier (32 bytes) and its S256 challenge', async () => {
    const pair = await createPkce();
    expect(pair.codeChallengeMethod).toBe('S256');
    expect(pair.codeVerifier).toHaveLength(43);
    expect(pair.codeVerifier).toMatch(BASE64URL);
    expect(pair.codeChallenge).toHaveLength(43);
    expect(pair.codeChallenge).toMatch(BASE64URL);
    await expect(pkceChallenge(pair.codeVerifier)).resolves.toBe(pair.codeChallenge);
  });

  it('never repeats a verifier', async () => {
    const verifiers = await Promise.all(
      Array.from({ length: 200 }, async () => (await createPkce()).codeVerifier),
    );
    expect(new Set(verifiers).size).toBe(200);
  });
});

describe('base64url', () => {
  it('uses - and _ and no padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([0x66, 0x6f, 0x6f, 0x62]))).toBe('Zm9vYg');
    expect(base64url(new Uint8Array([]))).toBe('');
  });

  it('encodes 32 bytes in 43 characters', () => {
    expect(base64url(new Uint8Array(32).fill(255))).toHaveLength(43);
  });
});
