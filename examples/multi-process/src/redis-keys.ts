import { createClient } from '@keyv/redis';

/** Escapes Redis glob characters, so a namespace matches only itself in SCAN MATCH. */
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Deletes every key the Redis token store wrote under `namespace` (tokens, version counters,
 * locks: `<namespace>::*`). Returns how many were deleted. The example cleans up after itself.
 */
export async function deleteNamespace(redisUrl: string, namespace: string): Promise<number> {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    let deleted = 0;
    for await (const keys of client.scanIterator({ MATCH: `${globEscape(namespace)}::*`, COUNT: 1000 })) {
      for (const key of keys) deleted += await client.del(key);
    }
    return deleted;
  } finally {
    client.destroy();
  }
}
