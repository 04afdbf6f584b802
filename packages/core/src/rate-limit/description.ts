// The reader of the route → group table generated from RingCentral's API description
// (table.ts; the grammar is in scripts/api/generate.mjs, which imports this file to check
// that every documented operation reads back its own group). No imports: the generator runs it as is.
// Small on purpose: it and the table load with the first request (a chunk of their own in a browser).

/** A trie node: `c` children by path segment (`*` for a parameter), `m` pairs of method and group letters. */
export interface TrieNode {
  readonly c: Record<string, TrieNode>;
  m: string;
}

const METHOD_LETTERS: Record<string, string> = { GET: 'g', POST: 'p', PUT: 'u', PATCH: 'a', DELETE: 'd' };
const GROUPS: Record<string, string | null> = { A: 'Auth', H: 'Heavy', L: 'Light', M: 'Medium', N: null };

/** Parses the trie string (a few thousand characters, once). */
export function parseTrie(text: string): TrieNode {
  let i = 0;
  const node = (): TrieNode => {
    const n: TrieNode = { c: {}, m: '' };
    const word = () => {
      const start = i;
      while (i < text.length && !'(),:'.includes(text[i]!)) i++;
      return text.slice(start, i);
    };
    if (text[i] === ':') {
      i++;
      n.m = word();
    }
    if (text[i] === '(') {
      do {
        i++;
        n.c[word()] = node();
      } while (text[i] === ',');
      i++; // ')'
    }
    return n;
  };
  return node();
}

/** The group letter of `method` for `segments` from `i`: literal segments first, then a parameter, as a router matches. */
function find(node: TrieNode | undefined, segments: string[], i: number, method: string): string | undefined {
  if (!node) return undefined;
  // Method letters are lower case, group letters upper case: indexOf finds only a method.
  if (i === segments.length) return node.m[node.m.indexOf(method) + 1 || -1];
  const segment = segments[i]!;
  return (
    (Object.hasOwn(node.c, segment) ? find(node.c[segment], segments, i + 1, method) : undefined) ??
    find(node.c['*'], segments, i + 1, method)
  );
}

/**
 * The description's group of a route as `routeOf()` writes it ("GET /restapi/v1.0/account/~/…"):
 * a group name, `null` for a route that is not throttled, `undefined` when the route is outside the
 * documented API (its first segment is not a child of the trie's root). A documented path the trie
 * does not list has its method's default group (GET: Light, others: Medium).
 */
export function describedGroup(trie: TrieNode, route: string): string | null | undefined {
  const space = route.indexOf(' ');
  const method = METHOD_LETTERS[route.slice(0, space)];
  const segments = route.slice(space + 2).split('/');
  if (segments[segments.length - 1] === '') segments.pop(); // a trailing slash
  if (method === undefined || !Object.hasOwn(trie.c, segments[0] ?? '')) return undefined;
  const letter = find(trie, segments, 0, method);
  return letter === undefined ? (method === 'g' ? 'Light' : 'Medium') : GROUPS[letter];
}
