import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { ConfigError, messageBody } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { loggedIn, mockServer } from './fixtures.js';

const FAX = '/restapi/v1.0/account/~/extension/~/fax';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface FaxRecord {
  id: number;
  type: string;
  to: { phoneNumber: string }[];
  attachments: {
    id: number;
    uri: string;
    contentType: string;
    size: number;
    fileName?: string;
    sha256: string;
  }[];
}

const fields = { to: [{ phoneNumber: '+16505550199' }], faxResolution: 'High', coverPageText: 'Contract' };

describe('uploads and downloads', () => {
  for (const invalidated of [false, true]) {
    it(`a fax with a JSON part and two attachments (one 200 kB)${invalidated ? ', right after the access token was invalidated: one refresh, the whole body re-sent' : ''}; downloaded and byte-compared`, async () => {
      const server = await mockServer();
      const rc = await loggedIn(server);
      const big = new Uint8Array(randomBytes(200 * 1024));
      const note = 'Please sign page 2.\n';
      const body = await messageBody(fields, [
        { content: big, fileName: 'contract.pdf', contentType: 'application/pdf' },
        { content: note, fileName: 'note.txt' },
      ]);
      if (invalidated) server.invalidateAccessTokens();
      server.resetStats();
      const fax = await rc.post(FAX, { body }).json<FaxRecord>();
      expect(server.stats.byGrant.refresh_token ?? 0).toBe(invalidated ? 1 : 0);
      expect(server.stats.byEndpoint[`POST ${FAX}`]).toBe(invalidated ? 2 : 1);
      expect(fax).toMatchObject({ type: 'Fax', to: [{ phoneNumber: '+16505550199' }] });
      expect(fax.attachments.map((a) => [a.fileName, a.contentType, a.size, a.sha256])).toEqual([
        ['contract.pdf', 'application/pdf', big.byteLength, sha256(big)],
        ['note.txt', 'text/plain', note.length, sha256(new TextEncoder().encode(note))],
      ]);

      // Downloads: the URI is absolute on our server; as bytes, as a Blob, and with progress.
      const [pdf, txt] = fax.attachments;
      const progress: number[] = [];
      const bytes = new Uint8Array(
        await rc
          .get(pdf!.uri, { onDownloadProgress: (p) => progress.push(p.transferredBytes) })
          .arrayBuffer(),
      );
      expect(Buffer.compare(bytes, big)).toBe(0);
      expect(progress.at(-1)).toBe(big.byteLength);
      const blob = await rc.get(txt!.uri).blob();
      expect(blob.type).toBe('text/plain');
      expect(await blob.text()).toBe(note);
    });
  }

  it('streams a download to a file, and uploads a file from disk (openAsBlob) and from a web stream', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    const dir = await mkdtemp(join(tmpdir(), 'rc-upload-'));
    try {
      const source = new Uint8Array(randomBytes(300 * 1024));
      const file = join(dir, 'in.pdf');
      await writeFile(file, source);
      const body = await messageBody(fields, [
        { content: await openAsBlob(file), fileName: 'in.pdf', contentType: 'application/pdf' },
        {
          content: Readable.toWeb(Readable.from([source.subarray(0, 1000)])) as ReadableStream<Uint8Array>,
          fileName: 'part.bin',
        },
      ]);
      const uploaded: number[] = [];
      server.invalidateAccessTokens();
      const fax = await rc
        .post(FAX, { body, onUploadProgress: (p) => uploaded.push(p.transferredBytes) })
        .json<FaxRecord>();
      expect(fax.attachments.map((a) => a.sha256)).toEqual([
        sha256(source),
        sha256(source.subarray(0, 1000)),
      ]);
      expect(uploaded.at(-1)).toBeGreaterThan(source.byteLength);

      const response = await rc.get(fax.attachments[0]!.uri);
      const out = join(dir, 'out.pdf');
      const { createWriteStream } = await import('node:fs');
      await response.body!.pipeTo(Writable.toWeb(createWriteStream(out)));
      expect(Buffer.compare(await readFile(out), source)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('messageBody checks its input and bounds streams', async () => {
    await expect(messageBody(null as never, [])).rejects.toBeInstanceOf(ConfigError);
    await expect(messageBody({}, [{ content: 42 as never }])).rejects.toBeInstanceOf(ConfigError);
    const stream = Readable.toWeb(Readable.from([new Uint8Array(2048)])) as ReadableStream<Uint8Array>;
    await expect(messageBody({}, [{ content: stream }], { maxStreamBytes: 1024 })).rejects.toThrow(
      /longer than 1024/,
    );
  });

  it('the mock refuses a fax that is neither multipart nor a JSON re-send, or whose first part is not JSON', async () => {
    const server = await mockServer();
    const rc = await loggedIn(server);
    // JSON is RingCentral's re-send of a fax sent before: it needs `originalMessageId`.
    await expect(rc.post(FAX, { json: fields })).rejects.toMatchObject({ status: 400, errorCode: 'CMN-100' });
    await expect(
      rc.post(FAX, { body: 'x', headers: { 'Content-Type': 'text/plain' } }),
    ).rejects.toMatchObject({
      status: 415,
    });
    const form = new FormData();
    form.append('attachment', new Blob(['x'], { type: 'text/plain' }), 'x.txt');
    await expect(rc.post(FAX, { body: form })).rejects.toMatchObject({ status: 400, errorCode: 'CMN-101' });
  });
});
