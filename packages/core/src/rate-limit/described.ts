// The route → group data of RingCentral's API description (table.ts, read by description.ts),
// loaded and parsed at the first request of any client. A dynamic import: in a browser the table
// is a chunk of its own, fetched with the first request instead of with the app (the `size` test
// checks it stays out of the start bundle). While it loads, or if its chunk fails to load, routes
// have the groups learnt from replies only.

import type { TrieNode } from './description.js';

let described:
  | { trie: TrieNode; group: (trie: TrieNode, route: string) => string | null | undefined }
  | undefined;
let loading: Promise<void> | undefined;

/** Whether the description is loaded (else {@link loadDescription} first). */
export const descriptionLoaded = (): boolean => described !== undefined;

/** Loads the description once for every client; a failed load is tried again by the next call. */
export const loadDescription = (): Promise<void> =>
  (loading ??= Promise.all([import('./description.js'), import('./table.js')]).then(
    ([reader, table]) => {
      described = { trie: reader.parseTrie(table.RATE_LIMIT_TRIE), group: reader.describedGroup };
    },
    () => {
      loading = undefined; // the next request tries again
    },
  ));

/**
 * The group the description gives `route`: a name, undefined when it names none (not throttled,
 * or outside the documented API), `null` while it is not loaded (ask again once it is).
 */
export function describedGroupOf(route: string): string | undefined | null {
  if (!described) return null;
  return described.group(described.trie, route) ?? undefined;
}
