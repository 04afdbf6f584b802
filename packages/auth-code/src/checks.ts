import { type ClientInfo, ConfigError } from '@rc/core';

/** What `authorizeUrl()` accepts as its client: an `RcClient` (via its `info`) or a `ClientInfo`. */
export type ClientLike =
  | ClientInfo
  | {
      /** The client's info, as `RcClient.info` holds it. */
      readonly info: ClientInfo;
    };

/** `true` for an absolute `http:` or `https:` URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Throws a ConfigError naming `option` unless `value` is a usable redirect URI. */
export function checkRedirectUri(value: unknown, fn: string): asserts value is string {
  if (!isHttpUrl(value)) {
    throw new ConfigError(`${fn}: \`redirectUri\` must be an absolute http(s) URL.`, 'redirectUri');
  }
  // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment component. Tested on
  // the string: `new URL(...).hash` is '' for a bare trailing '#'.
  if (value.includes('#')) {
    throw new ConfigError(`${fn}: \`redirectUri\` must not contain a fragment (#...).`, 'redirectUri');
  }
}

// Unknown options are refused by core's `checkOptions` (one copy for grants, stores and plugins).
export { checkOptions } from '@rc/core/kit';

/** The client's `ClientInfo`, checked, whether given an `RcClient` or a `ClientInfo`. */
export function clientInfoOf(client: unknown, fn: string): ClientInfo {
  if (typeof client !== 'object' || client === null) {
    throw new ConfigError(`${fn}: \`client\` must be an RcClient or its ClientInfo (\`rc.info\`).`, 'client');
  }
  const info: unknown = 'info' in client ? client.info : client;
  if (typeof info !== 'object' || info === null) {
    throw new ConfigError(`${fn}: \`client.info\` must be a ClientInfo.`, 'client');
  }
  const { server, clientId } = info as Partial<ClientInfo>;
  if (!isHttpUrl(server)) {
    throw new ConfigError(`${fn}: the client's \`server\` must be an absolute http(s) URL.`, 'server');
  }
  if (typeof clientId !== 'string' || clientId === '') {
    throw new ConfigError(`${fn}: the client's \`clientId\` must be a non-empty string.`, 'clientId');
  }
  return info as ClientInfo;
}

/** A short, safe rendering of a bad (non-secret) value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}
