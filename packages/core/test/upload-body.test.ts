// Issue 18 items 4, 14 (messageBody) and 15: a stream attachment of strings keeps its bytes and
// counts them against maxStreamBytes; fields that JSON cannot hold are a ConfigError; a Blob or
// FormData body goes on the wire as it is (no Request.clone(), whose tee() would hold every byte
// sent until the call ends) and is sent again from its source after a 401.
import { createHash } from 'node:crypto';
import { ConfigError, messageBody } from '@rc/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const FAX = '/restapi/v1.0/account/~/extension/~/fax';
const fields = { to: [{ phoneNumber: '+16505550199' }] };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const streamOf = (chunks: unknown[]) =>
  new ReadableStream<unknown>({
    pull(controller) {
      if (chunks.length === 0) controller.close();
      else controller.enqueue(chunks.shift());
    },
  }) as ReadableStream<Uint8Array>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('messageBody: stream attachments', () => {
  it('a stream yielding strings: every byte kept, UTF-8 encoded', async () => {
    const form = await messageBody(fields, [{ content: streamOf(['héllo ', 'world']) }]);
    const attachment = form.get('attachment') as Blob;
    expect(attachment.size).toBe(new TextEncoder().encode('héllo world').byteLength);
    expect(await attachment.text()).toBe('héllo world');
  });

  it('string chunks count against maxStreamBytes', async () => {
    await expect(
      messageBody(fields, [{ content: streamOf(['x'.repeat(600), 'y'.repeat(600)]) }], {
        maxStreamBytes: 1000,
      }),
    ).rejects.toThrow(/longer than 1000/);
  });

  it('a chunk that is neither bytes nor a string is a ConfigError, never a silent 0 bytes', async () => {
    for (const chunk of [42, { a: 1 }, null]) {
      const error = await messageBody(fields, [{ content: streamOf([chunk]) }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('attachments[0].content');
    }
    // ArrayBuffer and other views are bytes too.
    const form = await messageBody(fields, [
      { content: streamOf([new Uint8Array([1, 2]).buffer, new Uint16Array([0x0403]), new Uint8Array([5])]) },
    ]);
    expect(new Uint8Array(await (form.get('attachment') as Blob).arrayBuffer())).toEqual(
      new Uint8Array([1, 2, 3, 4, 5]),
    );
  });

  it('fields that JSON cannot hold (a cycle, a BigInt) are a ConfigError naming `fields`', async () => {
    const cyclic: Record<string, unknown> = { to: [] };
    cyclic.self = cyclic;
    for (const bad of [cyclic, { count: 10n }]) {
      const error = await messageBody(bad, []).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('fields');
    }
  });
});

describe('a Blob or FormData body is not buffered', () => {
  for (const invalidated of [false, true]) {
    it(`no Request.clone() and no Blob read into memory${invalidated ? '; after a 401 the whole body is sent again from its source' : ''}`, async () => {
      const server = await mockServer();
      const rc = await loggedIn(server);
      const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
      const blob = new Blob([big], { type: 'application/pdf' });
      const body = await messageBody(fields, [{ content: blob, fileName: 'big.pdf' }]);
      const clone = vi.spyOn(Request.prototype, 'clone');
      const arrayBuffer = vi.spyOn(Blob.prototype, 'arrayBuffer');
      const bytes = vi.spyOn(Blob.prototype, 'bytes');
      if (invalidated) server.invalidateAccessTokens();
      server.resetStats();
      const fax = await rc.post(FAX, { body }).json<{ attachments: { size: number; sha256: string }[] }>();
      expect(server.stats.byEndpoint[`POST ${FAX}`]).toBe(invalidated ? 2 : 1);
      expect(fax.attachments[0]).toMatchObject({ size: big.byteLength, sha256: sha256(big) });
      expect(clone).not.toHaveBeenCalled();
      expect(arrayBuffer).not.toHaveBeenCalled();
      expect(bytes).not.toHaveBeenCalled();
    });
  }

  it('a Blob as the whole body, after a 401: sent again whole, with its own type, and no clone', async () => {
    const server = await mockServer();
    const path = '/restapi/v1.0/upload-probe';
    const sent: [string | null, string][] = [];
    // The transport below the auth plugin records each body that goes on the wire.
    const rc = await loggedIn(server, {
      fetch: async (input, init) => {
        const r = new Request(input, init);
        if (!r.url.endsWith(path)) return fetch(r);
        const text = await r.text();
        sent.push([r.headers.get('content-type'), text]);
        return fetch(r.url, { method: r.method, headers: r.headers, body: text });
      },
    });
    server.failNext({ method: 'POST', path, status: 401 });
    const clone = vi.spyOn(Request.prototype, 'clone');
    const error = await rc
      .post(path, { body: new Blob(['{"a":1}'], { type: 'application/json' }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 }); // the mock has no such route: the point is what was sent
    expect(sent).toEqual([
      ['application/json', '{"a":1}'],
      ['application/json', '{"a":1}'],
    ]);
    expect(clone).not.toHaveBeenCalled();
  });
});
