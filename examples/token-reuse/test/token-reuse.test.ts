import { expect, it } from 'vitest';
import { main } from '../src/main.js';

it('examples/token-reuse: every form of reuse works with no extra token request', async () => {
  const lines: string[] = [];
  const { tokenRequests } = await main((line) => lines.push(line));
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/as Mock User/);
  expect(lines[1]).toMatch(/expiring in 60 min/);
  expect(tokenRequests).toBe(0);
});
