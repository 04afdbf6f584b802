// Event filters as both notification channels (the WebSocket gateway, the WebHook deliverer) read
// them: the filter list of a subscription request, `~` resolved for the subscriber, and whether an
// event matches a filter (their paths equal; the query part of a filter only refines the body).

/** The `eventFilters` of a subscription request, or `undefined` when they are not a non-empty list of paths. */
export function readFilters(body: unknown): string[] | undefined {
  const filters = (body as { eventFilters?: unknown } | null)?.eventFilters;
  if (!Array.isArray(filters) || filters.length === 0) return undefined;
  if (!filters.every((f) => typeof f === 'string' && f.startsWith('/'))) return undefined;
  return [...filters] as string[];
}

/** `~` in an event path means the session owner's account or extension. */
export function resolveEvent(event: string, session: { accountId: string; userId: string }): string {
  return event
    .replace(/\/account\/~(?=\/|$|\?)/, `/account/${session.accountId}`)
    .replace(/\/extension\/~(?=\/|$|\?)/, `/extension/${session.userId}`);
}

export const pathOf = (event: string) => event.split('?')[0]?.replace(/\/+$/, '') ?? event;

/** `true` when `event` (already resolved) is one of `filters` for this subscriber. */
export const matchesFilters = (
  event: string,
  filters: readonly string[],
  subscriber: { accountId: string; userId: string },
): boolean => filters.some((f) => pathOf(resolveEvent(f, subscriber)) === pathOf(event));
