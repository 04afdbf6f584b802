/**
 * The delay before reconnection attempt `attempt` (0-based): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so processes that lost their connections
 * together do not come back together (and spend the Auth group's wstoken budget at once).
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling / 2 + Math.random() * (ceiling / 2));
}
