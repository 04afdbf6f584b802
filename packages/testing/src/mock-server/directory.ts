/**
 * The account's extensions, the one source for the extension routes, presence (single and
 * batched) and the extension list: the mock's users, and `directorySize` more extensions from 101
 * up (a user whose id falls in that range is that extension). Records are generated from the id,
 * so a directory of millions costs no memory; what a `PUT` changed (an extension's fields, its
 * presence) is kept per account and id, and every later read shows it.
 */
import { accountId, wireId } from './ids.js';
import type { MockUser } from './types/options.js';

export type Fields = Record<string, unknown>;

const FIRST = 101;
const isNumeric = (id: string) => /^\d{1,15}$/.test(id);

/** The contact fields an update may change: the ones its read and list records share, by type. */
const CONTACT_KEYS = [
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'email',
  'businessPhone',
  'mobilePhone',
  'department',
] as const;
/** Top-level fields of `ExtensionUpdateRequest` that the extension record has with the same shape. */
const EXTENSION_KEYS = [
  'status',
  'statusInfo',
  'extensionNumber',
  'setupWizardState',
  'partnerId',
  'type',
  'subType',
  'references',
  'customFields',
] as const;
/** `PresenceInfoRequest`: every field is one of the presence record's. */
const PRESENCE_KEYS = [
  'userStatus',
  'dndStatus',
  'dndStatusPersonal',
  'message',
  'allowSeeMyPresence',
  'ringOnMonitoredCall',
  'pickUpCallsOnHold',
  'callerIdVisibility',
  'acceptCallQueueCalls',
] as const;

const pick = (from: Fields, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

export class Directory {
  readonly #users: readonly MockUser[];
  readonly #size: number;
  readonly #baseUrl: () => string;
  readonly #extensions = new Map<string, Fields>();
  readonly #presence = new Map<string, Fields>();
  #sequence = 0;

  constructor(users: readonly MockUser[], size: number, baseUrl: () => string) {
    this.#users = users;
    this.#size = size;
    this.#baseUrl = baseUrl;
  }

  #user(account: string, id: string): MockUser | undefined {
    return this.#users.find((u) => u.id === id && accountId(u) === account);
  }

  /** `#outside()` per account: the users never change, and a filtered list asks for it per record. */
  readonly #outsideOf = new Map<string, { before: string[]; after: string[] }>();

  /** The users outside the generated range, in list order: numeric ids around it, then the rest. */
  #outside(account: string): { before: string[]; after: string[] } {
    let found = this.#outsideOf.get(account);
    if (!found) {
      found = this.#split(account);
      // Kept for the mock's own accounts only: an id from a request must not grow the map.
      if (this.#users.some((u) => accountId(u) === account)) this.#outsideOf.set(account, found);
    }
    return found;
  }

  #split(account: string): { before: string[]; after: string[] } {
    const ids = this.#users.filter((u) => accountId(u) === account).map((u) => u.id);
    const numeric = ids.filter(isNumeric).sort((a, b) => Number(a) - Number(b));
    return {
      before: numeric.filter((id) => Number(id) < FIRST),
      after: [
        ...numeric.filter((id) => Number(id) >= FIRST + this.#size),
        ...ids.filter((id) => !isNumeric(id)),
      ],
    };
  }

  /** How many extensions the account has. */
  count(account: string): number {
    const { before, after } = this.#outside(account);
    return before.length + this.#size + after.length;
  }

  /** The id of the account's `i`-th extension, by extension id ascending. */
  idAt(account: string, i: number): string {
    const { before, after } = this.#outside(account);
    if (i < before.length) return before[i] as string;
    if (i < before.length + this.#size) return String(FIRST + i - before.length);
    return after[i - before.length - this.#size] as string;
  }

  has(account: string, id: string): boolean {
    if (this.#user(account, id)) return true;
    return isNumeric(id) && Number(id) >= FIRST && Number(id) < FIRST + this.#size;
  }

  #key = (account: string, id: string) => `${account}/${id}`;
  #uri = (account: string, id: string) =>
    `${this.#baseUrl()}/restapi/v1.0/account/${account}/extension/${id}`;

  /** The extension record as its list shows it (`GetExtensionListInfoResponse`); `undefined` when unknown. */
  listed(account: string, id: string): Fields | undefined {
    if (!this.has(account, id)) return undefined;
    const user = this.#user(account, id);
    const name = user?.name ?? `User ${id}`;
    const [firstName = '', ...rest] = name.split(' ');
    const email = user ? user.email : `user${id}@example.com`;
    const extensionNumber = user ? user.extension : id;
    const base: Fields = {
      uri: this.#uri(account, id),
      id: wireId(id),
      ...(extensionNumber === undefined ? {} : { extensionNumber }),
      name,
      type: 'User',
      status: 'Enabled',
      contact: { firstName, lastName: rest.join(' '), ...(email === undefined ? {} : { email }) },
    };
    const changed = this.#extensions.get(this.#key(account, id));
    if (!changed) return base;
    const contact = { ...(base.contact as Fields), ...((changed.contact as Fields | undefined) ?? {}) };
    return {
      ...base,
      ...changed,
      contact,
      name: `${contact.firstName ?? ''} ${contact.lastName ?? ''}`.trim(),
    };
  }

  /** The extension record as a read by id answers it (`GetExtensionInfoResponse`). */
  extension(account: string, id: string): Fields | undefined {
    const listed = this.listed(account, id);
    if (!listed) return undefined;
    return { ...listed, account: { uri: `${this.#baseUrl()}/restapi/v1.0/account/${account}`, id: account } };
  }

  /** Keeps the fields of an `ExtensionUpdateRequest` the record shows; answers the record after it. */
  updateExtension(account: string, id: string, update: Fields): Fields | undefined {
    if (!this.has(account, id)) return undefined;
    const key = this.#key(account, id);
    const before = this.#extensions.get(key) ?? {};
    const contact = pick((update.contact as Fields | undefined) ?? {}, CONTACT_KEYS);
    this.#extensions.set(key, {
      ...before,
      ...pick(update, EXTENSION_KEYS),
      contact: { ...((before.contact as Fields | undefined) ?? {}), ...contact },
    });
    return this.extension(account, id);
  }

  /** The presence record (`PresenceInfoResponse`); `undefined` when the extension is unknown. */
  presence(account: string, id: string): Fields | undefined {
    if (!this.has(account, id)) return undefined;
    const uri = this.#uri(account, id);
    // A fixed pattern the tests can rely on: every fifth extension is on a call.
    const onCall = Number(id) % 5 === 0;
    const record: Fields = {
      uri: `${uri}/presence`,
      extension: {
        uri,
        id: wireId(id),
        extensionNumber: String(this.listed(account, id)?.extensionNumber ?? id),
      },
      telephonyStatus: onCall ? 'OnHold' : 'NoCall',
      userStatus: 'Available',
      dndStatus: 'TakeAllCalls',
      allowSeeMyPresence: true,
      ringOnMonitoredCall: false,
      pickUpCallsOnHold: false,
      ...this.#presence.get(this.#key(account, id)),
    };
    // RingCentral's aggregate: the user's own status, then calls and Do Not Disturb make it Busy.
    const busy =
      record.userStatus === 'Busy' ||
      record.telephonyStatus !== 'NoCall' ||
      record.dndStatus === 'DoNotAcceptAnyCalls';
    record.presenceStatus = record.userStatus === 'Offline' ? 'Offline' : busy ? 'Busy' : 'Available';
    return record;
  }

  /** The `sequence` of the next presence event (int32, wrapping), in the order changes happened. */
  nextSequence(): number {
    this.#sequence = (this.#sequence + 1) % 2 ** 31;
    return this.#sequence;
  }

  /** Keeps the fields of a `PresenceInfoRequest`; answers the presence after it. */
  updatePresence(account: string, id: string, update: Fields): Fields | undefined {
    if (!this.has(account, id)) return undefined;
    const key = this.#key(account, id);
    this.#presence.set(key, { ...this.#presence.get(key), ...pick(update, PRESENCE_KEYS) });
    return this.presence(account, id);
  }
}
