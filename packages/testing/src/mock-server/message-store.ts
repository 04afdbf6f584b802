/**
 * The message store: every SMS and fax sent to this server, readable by id and in the list, as
 * RingCentral's `…/message-store` shows them (the reply of the send is the stored record, so its
 * own `uri` answers), changed by `PUT`/`PATCH` and deleted by `DELETE` (moved to `Deleted`, then
 * purged: forgotten). Kept per server, until it closes. Its own file, free of the context (which
 * holds one); the routes that read it are message-routes.ts.
 */

export type MessageRecord = Record<string, unknown> & {
  id: number;
  type: string;
  direction: string;
  creationTime: string;
  readStatus?: string;
  availability?: string;
};

export class MessageStore {
  readonly #messages = new Map<string, { ownerId: string; record: MessageRecord }>();
  #seq = 0;

  /** Message ids, unique in the server (RingCentral's are 64-bit numbers). */
  nextId(): number {
    return 8_000_000_000 + ++this.#seq;
  }

  add(ownerId: string, record: MessageRecord): void {
    this.#messages.set(String(record.id), { ownerId, record });
  }

  get(ownerId: string, id: string): MessageRecord | undefined {
    const found = this.#messages.get(id);
    return found?.ownerId === ownerId ? found.record : undefined;
  }

  /** Changes fields of the owner's message; the record after it, or `undefined` when it has none. */
  update(ownerId: string, id: string, fields: Partial<MessageRecord>): MessageRecord | undefined {
    const found = this.#messages.get(id);
    if (found?.ownerId !== ownerId) return undefined;
    found.record = { ...found.record, ...fields };
    return found.record;
  }

  /** Forgets the owner's message (purged); `false` when it has none. */
  remove(ownerId: string, id: string): boolean {
    if (this.#messages.get(id)?.ownerId !== ownerId) return false;
    return this.#messages.delete(id);
  }

  /** The owner's messages, newest first. */
  list(ownerId: string): MessageRecord[] {
    return [...this.#messages.values()]
      .filter((m) => m.ownerId === ownerId)
      .map((m) => m.record)
      .reverse();
  }
}
