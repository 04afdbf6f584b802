// Upload bodies for fax and MMS (the writing side of multipart; parse.ts is the reading side):
// `multipart/form-data` with a first JSON part holding the message fields, then the attachments. The result is a standard FormData, so it works wherever fetch
// does, and it can be sent again: the auth plugin re-sends a copy of the whole body after a 401.
//
// A stream can be read only once, so a `ReadableStream` attachment is read into a Blob (bounded
// by `maxBytes`). In Node, a file is best given as `await fs.openAsBlob(path)`: a Blob backed by
// the file, read as it is sent rather than loaded first. (`Readable.toWeb(fs.createReadStream(path))`
// works too, as a stream.) Core itself imports nothing from Node.
import { ConfigError } from '../errors/config-error.js';
import { checkOptions } from '../util/check-options.js';
import { readBounded } from './bounded-read.js';

/** What an attachment's bytes may be. */
export type AttachmentContent = Blob | Uint8Array | ArrayBuffer | string | ReadableStream<Uint8Array>;

/** One attachment of a message (fax, MMS): its bytes, name and type. */
export interface Attachment {
  /**
   * The bytes: a Blob (a `File`, `fs.openAsBlob()`), bytes, a string (sent as UTF-8 text), or a
   * stream (of bytes, or of strings sent as UTF-8 text; read up to `maxStreamBytes`).
   */
  content: AttachmentContent;
  /** The file name RingCentral shows. @default 'attachment-N' */
  fileName?: string | undefined;
  /**
   * The MIME type, e.g. `application/pdf`, `image/png`. RingCentral picks the renderer from it.
   * @default the Blob's own type, `text/plain` for a string, else `application/octet-stream`
   */
  contentType?: string | undefined;
}

/** Options of {@link messageBody}. */
export interface MessageBodyOptions {
  /**
   * Most bytes read from one stream attachment; a longer stream is refused with `ConfigError`.
   * @default 20 MiB (RingCentral's fax limit is 20 MB in total)
   */
  maxStreamBytes?: number | undefined;
}

const DEFAULT_MAX_STREAM_BYTES = 20 * 1024 * 1024;

async function toBlob(a: Attachment, i: number, max: number): Promise<Blob> {
  const { content } = a;
  if (content instanceof Blob) return a.contentType ? new Blob([content], { type: a.contentType }) : content;
  if (typeof content === 'string') return new Blob([content], { type: a.contentType ?? 'text/plain' });
  const type = a.contentType ?? 'application/octet-stream';
  if (content instanceof Uint8Array) return new Blob([new Uint8Array(content)], { type });
  if (content instanceof ArrayBuffer) return new Blob([content], { type });
  if (content instanceof ReadableStream) {
    const bytes = await readBounded(content, max, {
      tooLong: () =>
        new ConfigError(`messageBody(): attachments[${i}] is longer than ${max} bytes`, `attachments[${i}]`),
      notBytes: () =>
        new ConfigError(
          `messageBody(): attachments[${i}].content yielded a chunk that is neither bytes nor a string`,
          `attachments[${i}].content`,
        ),
    });
    return new Blob([bytes], { type });
  }
  throw new ConfigError(
    `messageBody(): attachments[${i}].content must be a Blob, Uint8Array, ArrayBuffer, string or ReadableStream`,
    `attachments[${i}].content`,
  );
}

/**
 * Builds the body of a fax or MMS: a `json` part with the message fields, then one `attachment`
 * part per attachment. Pass it as `body`; fetch sets the multipart Content-Type and boundary.
 *
 * @example
 * const body = await messageBody(
 *   { to: [{ phoneNumber: '+16505550199' }], faxResolution: 'High', coverPageText: 'Contract' },
 *   [{ content: await openAsBlob('contract.pdf'), fileName: 'contract.pdf', contentType: 'application/pdf' }],
 * );
 * const fax = await rc.post('/restapi/v1.0/account/~/extension/~/fax', { body, onUploadProgress }).json();
 * @see https://developers.ringcentral.com/guide/messaging/fax/sending-faxes
 */
export async function messageBody(
  fields: Record<string, unknown>,
  attachments: readonly Attachment[],
  options: MessageBodyOptions = {},
): Promise<FormData> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new ConfigError('messageBody(): `fields` must be an object of message fields', 'fields');
  if (!Array.isArray(attachments))
    throw new ConfigError('messageBody(): `attachments` must be an array', 'attachments');
  checkOptions(options, ['maxStreamBytes'], 'messageBody()');
  const max = options.maxStreamBytes ?? DEFAULT_MAX_STREAM_BYTES;
  if (!(Number.isSafeInteger(max) && max > 0))
    throw new ConfigError(
      'messageBody(): `maxStreamBytes` must be a whole number of bytes > 0',
      'maxStreamBytes',
    );
  let json: string;
  try {
    json = JSON.stringify(fields);
  } catch {
    // A cycle or a BigInt: JSON.stringify's TypeError quotes the fields' structure.
    throw new ConfigError('messageBody(): `fields` must be JSON (no cycles, no BigInt)', 'fields');
  }
  const form = new FormData();
  form.append('json', new Blob([json], { type: 'application/json' }), 'request.json');
  for (const [i, a] of attachments.entries()) {
    if (typeof a !== 'object' || a === null)
      throw new ConfigError(
        `messageBody(): attachments[${i}] must be { content, fileName?, contentType? }`,
        `attachments[${i}]`,
      );
    form.append('attachment', await toBlob(a, i, max), a.fileName ?? `attachment-${i + 1}`);
  }
  return form;
}
