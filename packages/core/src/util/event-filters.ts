import { ConfigError } from '../errors/config-error.js';

/**
 * Checks the `eventFilters` of a subscription (WebSocket or WebHook: `subscribe`, `createWebhook`,
 * their `update`) and returns a copy: a non-empty array of event paths. `where` names the call in
 * the ConfigError.
 */
export function checkEventFilters(eventFilters: unknown, where: string): string[] {
  if (
    !Array.isArray(eventFilters) ||
    eventFilters.length === 0 ||
    !eventFilters.every((f) => typeof f === 'string' && f.startsWith('/'))
  ) {
    throw new ConfigError(
      `${where}: \`eventFilters\` must be a non-empty array of event paths such as /restapi/v1.0/account/~/extension/~/message-store`,
      'eventFilters',
    );
  }
  return [...eventFilters] as string[];
}
