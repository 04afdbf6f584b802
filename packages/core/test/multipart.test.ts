import { MultipartError, multipartBoundary, parseMultipart } from '@rc/core/multipart';
import { describe, expect, it } from 'vitest';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('parseMultipart', () => {
  it('reads the boundary of a multipart Content-Type, quoted or not, and nothing else', () => {
    expect(multipartBoundary('multipart/mixed; boundary=Boundary_1_2')).toBe('Boundary_1_2');
    expect(multipartBoundary('Multipart/Form-Data; charset=x; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json; boundary=x')).toBeUndefined();
    expect(multipartBoundary('multipart/mixed')).toBeUndefined();
    expect(multipartBoundary(`multipart/mixed; boundary=${'x'.repeat(71)}`)).toBeUndefined();
  });

  it('splits parts, keeps binary bodies intact, ignores preamble and epilogue, accepts bare LF', () => {
    const bin = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const head = enc('preamble\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n');
    const tail = enc('\r\n--b\nContent-Type: application/json\n\n{"a":1}\n--b--\r\nepilogue');
    const body = new Uint8Array([...head, ...bin, ...tail]);
    const parts = parseMultipart(body, 'b');
    expect(parts).toHaveLength(2);
    expect(parts[0]?.headers['content-type']).toBe('application/octet-stream');
    expect([...(parts[0]?.body ?? [])]).toEqual([...bin]);
    expect(dec(parts[1]!.body)).toBe('{"a":1}');
  });

  it('a boundary inside a line is content, not a delimiter', () => {
    const parts = parseMultipart(enc('--b\r\nX: 1\r\n\r\nsee --b here\r\n--b--'), 'b');
    expect(dec(parts[0]!.body)).toBe('see --b here');
  });

  it('is strict and bounded', () => {
    const ok = '--b\r\nX: 1\r\n\r\nbody\r\n--b--\r\n';
    expect(() => parseMultipart(enc('--b\r\nX: 1\r\n\r\nbody\r\n'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(enc('no delimiter'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(enc('--b--\r\n'), 'b')).toThrow(/no parts/);
    expect(() => parseMultipart(enc('--bX\r\n\r\n--b--'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(enc('--b\r\nbad header\r\n\r\nx\r\n--b--'), 'b')).toThrow(/header/);
    expect(() => parseMultipart(enc(ok), 'b', { maxBytes: 10 })).toThrow(/exceeds 10 bytes/);
    expect(() => parseMultipart(enc(ok + ok), 'b', { maxParts: 0 })).toThrow(/more than 0 parts/);
    expect(() => parseMultipart(enc(ok), 'bad boundary ')).toThrow(MultipartError);
    expect(parseMultipart(enc(ok), 'b')).toHaveLength(1);
  });

  it('never quotes the body in its errors', () => {
    const secret = 'sk_live_very_secret_value_123456';
    try {
      parseMultipart(enc(`--b\r\n${secret}\r\n\r\nx\r\n--b--`), 'b');
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});
