// What the mock keeps of sent messages' attachments, for the content download route. Its own
// file: the context holds one, and the fax route (which fills it) imports the context.

export interface StoredAttachment {
  id: number;
  contentType: string;
  bytes: Uint8Array;
  fileName?: string | undefined;
}

/** The attachments of the messages sent to this server, by message id (kept until it closes). */
export class ContentStore {
  readonly #messages = new Map<string, StoredAttachment[]>();
  put(messageId: number, attachments: StoredAttachment[]): void {
    this.#messages.set(String(messageId), attachments);
  }
  /** Every attachment of a message (empty when it has none). */
  all(messageId: string): StoredAttachment[] {
    return this.#messages.get(messageId) ?? [];
  }
  /** Drops a message's attachments (the message was purged). */
  delete(messageId: string): void {
    this.#messages.delete(messageId);
  }
  get(messageId: string, attachmentId: string): StoredAttachment | undefined {
    return this.#messages.get(messageId)?.find((a) => String(a.id) === attachmentId);
  }
}
